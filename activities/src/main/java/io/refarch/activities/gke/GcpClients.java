package io.refarch.activities.gke;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.cloud.container.v1.ClusterManagerSettings;
import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.cloud.iam.admin.v1.IAMSettings;
import com.google.cloud.resourcemanager.v3.ProjectsClient;
import com.google.cloud.resourcemanager.v3.ProjectsSettings;
import io.grpc.ManagedChannelBuilder;
import io.refarch.activities.ConfigurationErrors;
import io.refarch.activities.Failures;
import io.refarch.activities.GcpConnection;
import io.refarch.activities.GoogleCredentialsSource;
import java.io.IOException;

/**
 * The three Google Cloud SDK clients, built for real Google (Application Default Credentials) or
 * for the sandbox (plain REST and gRPC, no credentials).
 */
final class GcpClients implements AutoCloseable {
  final ClusterManagerClient clusterManager;
  final IAMClient iam;
  final ProjectsClient projects;

  private GcpClients(ClusterManagerClient clusterManager, IAMClient iam, ProjectsClient projects) {
    this.clusterManager = clusterManager;
    this.iam = iam;
    this.projects = projects;
  }

  static GcpClients connect(GcpConnection connection) {
    return connect(connection, GoogleCredentialsSource.applicationDefault());
  }

  /**
   * Real Google needs the worker's Application Default Credentials: without them this fails at once
   * with a {@code ConfigurationError} that says how to set them up (the clients would otherwise
   * fail the same way on every retry).
   */
  static GcpClients connect(GcpConnection connection, GoogleCredentialsSource credentials) {
    if (!connection.sandbox()) {
      try {
        credentials.get();
      } catch (IOException e) {
        throw ConfigurationErrors.missingCredentials("connecting to Google Cloud", e);
      }
    }
    try {
      return connection.sandbox() ? sandbox(connection) : real(connection);
    } catch (IOException e) {
      throw Failures.retryable(
          Failures.TRANSIENT,
          "cannot create the Google Cloud clients: " + ConfigurationErrors.redact(e.getMessage()));
    }
  }

  private static GcpClients real(GcpConnection connection) throws IOException {
    ClusterManagerSettings.Builder gke = ClusterManagerSettings.newBuilder();
    ProjectsSettings.Builder projects = ProjectsSettings.newBuilder();
    IAMSettings.Builder iam = IAMSettings.newBuilder();
    if (connection.restEndpoint() != null) {
      gke = ClusterManagerSettings.newHttpJsonBuilder().setEndpoint(connection.restEndpoint());
      projects = ProjectsSettings.newHttpJsonBuilder().setEndpoint(connection.restEndpoint());
    }
    if (connection.iamGrpcTarget() != null) {
      iam.setEndpoint(connection.iamGrpcTarget());
    }
    return new GcpClients(
        ClusterManagerClient.create(gke.build()),
        IAMClient.create(iam.build()),
        ProjectsClient.create(projects.build()));
  }

  private static GcpClients sandbox(GcpConnection connection) throws IOException {
    ClusterManagerSettings gke =
        ClusterManagerSettings.newHttpJsonBuilder()
            .setEndpoint(connection.restEndpoint())
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build();
    ProjectsSettings projects =
        ProjectsSettings.newHttpJsonBuilder()
            .setEndpoint(connection.restEndpoint())
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build();
    IAMSettings iam =
        IAMSettings.newBuilder()
            .setTransportChannelProvider(
                InstantiatingGrpcChannelProvider.newBuilder()
                    .setEndpoint(connection.iamGrpcTarget())
                    .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                    .build())
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build();
    return new GcpClients(
        ClusterManagerClient.create(gke), IAMClient.create(iam), ProjectsClient.create(projects));
  }

  @Override
  public void close() {
    clusterManager.close();
    iam.close();
    projects.close();
  }
}
