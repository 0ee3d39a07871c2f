package io.refarch.activities.gke;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.cloud.container.v1.ClusterManagerSettings;
import com.google.cloud.resourcemanager.v3.ProjectsClient;
import com.google.cloud.resourcemanager.v3.ProjectsSettings;
import io.refarch.activities.ActivityConfig;
import io.refarch.activities.GcpConnection;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.sandbox.core.Fault;
import io.refarch.sandbox.gcp.GcpProject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** A sandbox for one test, and the clients a test uses to look at it from the outside. */
final class GkeSandbox implements AutoCloseable {
  final Sandbox sandbox;
  final ActivityConfig config;
  final ClusterManagerClient gke;
  final ProjectsClient projects;

  private GkeSandbox(
      Sandbox sandbox, ActivityConfig config, ClusterManagerClient gke, ProjectsClient projects) {
    this.sandbox = sandbox;
    this.config = config;
    this.gke = gke;
    this.projects = projects;
  }

  static GkeSandbox start(Path dir, Duration operationDuration, String... faults)
      throws IOException {
    return start(dir, operationDuration, GcpProject.defaults(), faults);
  }

  /** With the projects set up as {@code project} says (APIs disabled, quota limits). */
  static GkeSandbox start(
      Path dir, Duration operationDuration, GcpProject project, String... faults)
      throws IOException {
    List<Fault> parsed = Arrays.stream(faults).map(Sandbox::parseFault).toList();
    Sandbox sandbox =
        Sandbox.start(
            SandboxOptions.defaults(dir.resolve("sandbox-state"))
                .withOperationDuration(operationDuration)
                .withFaults(parsed)
                .withGcp(project));
    GcpConnection connection =
        GcpConnection.sandbox(sandbox.endpoints().gcpRest(), sandbox.endpoints().iamGrpc());
    ActivityConfig config =
        new ActivityConfig(
            dir.resolve("kubeconfig"),
            connection,
            Duration.ofMillis(20),
            Duration.ofMillis(200),
            Duration.ofSeconds(20));
    ClusterManagerClient gke =
        ClusterManagerClient.create(
            ClusterManagerSettings.newHttpJsonBuilder()
                .setEndpoint(connection.restEndpoint())
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
    ProjectsClient projects =
        ProjectsClient.create(
            ProjectsSettings.newHttpJsonBuilder()
                .setEndpoint(connection.restEndpoint())
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
    return new GkeSandbox(sandbox, config, gke, projects);
  }

  List<String> inventory() {
    return sandbox.inventory();
  }

  /** How many requests with this method reached this path ("/v1/" is added to REST paths). */
  long requests(String method, String path) {
    String full = method.equals("GRPC") ? path : "/v1/" + path;
    return sandbox.requests().stream()
        .filter(r -> r.method().equals(method) && r.path().equals(full))
        .count();
  }

  @Override
  public void close() throws Exception {
    gke.close();
    projects.close();
    sandbox.close();
  }
}
