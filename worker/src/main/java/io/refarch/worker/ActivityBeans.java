package io.refarch.worker;

import io.refarch.activities.Activities;
import io.refarch.activities.ActivityConfig;
import io.refarch.activities.Caller;
import io.refarch.activities.GcpConnection;
import io.refarch.activities.WorkerStopping;
import io.refarch.activities.aks.AksActivitiesImpl;
import io.refarch.activities.aks.AzureConnection;
import io.refarch.activities.eks.AwsConnection;
import io.refarch.activities.eks.EksActivitiesImpl;
import io.refarch.activities.gke.GkeActivitiesImpl;
import io.refarch.activities.kubernetes.KubernetesActivitiesImpl;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The activity implementations the worker registers (named in application.yaml). */
@Configuration
class ActivityBeans {

  /** Announced by {@link GracefulStop} when the process begins to stop. */
  @Bean
  WorkerStopping workerStopping(WorkerSettings settings) {
    return settings.handBackWaits() ? WorkerStopping.handingBackEveryWait() : new WorkerStopping();
  }

  @Bean
  ActivityConfig activityConfig(WorkerSettings settings, WorkerStopping stopping) {
    ActivityConfig defaults = ActivityConfig.defaults();
    WorkerSettings.Gcp gcp = settings.gcp();
    GcpConnection connection =
        gcp != null && gcp.sandbox()
            ? GcpConnection.sandbox(gcp.restEndpoint(), gcp.iamGrpcTarget())
            : GcpConnection.real();
    WorkerSettings.Aws aws = settings.aws();
    AwsConnection awsConnection =
        aws == null || aws.endpoint() == null || aws.endpoint().isBlank()
            ? AwsConnection.real()
            : aws.sandbox()
                ? AwsConnection.sandbox(
                    url("refarch.aws.endpoint (REFARCH_AWS_ENDPOINT)", aws.endpoint()))
                : AwsConnection.at(
                    url("refarch.aws.endpoint (REFARCH_AWS_ENDPOINT)", aws.endpoint()));
    String mirror = settings.mirror();
    return new ActivityConfig(
            settings.kubeconfigDir() != null ? settings.kubeconfigDir() : defaults.kubeconfigDir(),
            connection,
            settings.pollInitial() != null ? settings.pollInitial() : defaults.pollInitial(),
            settings.pollMax() != null ? settings.pollMax() : defaults.pollMax(),
            settings.nodeWait() != null ? settings.nodeWait() : defaults.nodeWait(),
            stopping)
        .withAws(awsConnection)
        .withAzure(azureConnection(settings.azure()))
        .withMirror(
            mirror == null || mirror.isBlank()
                ? null
                : url("refarch.mirror (REFARCH_MIRROR)", mirror));
  }

  /**
   * Public Azure, or the Resource Manager (with Entra on the same URL) the settings name, trusted
   * through their CA file; the credential is azure-identity's default chain either way.
   */
  static AzureConnection azureConnection(WorkerSettings.Azure azure) {
    if (azure == null || azure.endpoint() == null || azure.endpoint().isBlank()) {
      return AzureConnection.real();
    }
    URI endpoint = url("refarch.azure.endpoint (REFARCH_AZURE_ENDPOINT)", azure.endpoint());
    String ca = null;
    if (azure.caFile() != null && !azure.caFile().isBlank()) {
      try {
        ca = Files.readString(Path.of(azure.caFile().trim()));
      } catch (IOException | RuntimeException e) {
        throw new WorkerMisconfiguration(
            "refarch.azure.ca-file (REFARCH_AZURE_CA_FILE) is '"
                + azure.caFile()
                + "', which cannot be read: "
                + e.getMessage());
      }
      if (!ca.contains("-----BEGIN CERTIFICATE-----")) {
        throw new WorkerMisconfiguration(
            "refarch.azure.ca-file (REFARCH_AZURE_CA_FILE) is '"
                + azure.caFile()
                + "', which holds no PEM certificate");
      }
    }
    return AzureConnection.at(endpoint, ca, null);
  }

  /** An http(s) URL setting, or start-up stops naming it. */
  static URI url(String setting, String value) {
    try {
      URI uri = new URI(value.trim());
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below, as any other value that is not an http(s) URL
    }
    throw new WorkerMisconfiguration(
        setting + " is '" + value + "', not an http:// or https:// URL");
  }

  @Bean
  GkeActivitiesImpl gkeActivities(ActivityConfig config) {
    return new GkeActivitiesImpl(config);
  }

  /**
   * AWS as the settings say (by default real AWS with the SDK's default credential chain, resolved
   * when an EKS step first runs).
   */
  @Bean
  EksActivitiesImpl eksActivities(ActivityConfig config) {
    return Activities.eks(config, Caller::current);
  }

  /** Azure as the settings say, connected when an AKS step first runs. */
  @Bean
  AksActivitiesImpl aksActivities(ActivityConfig config) {
    return new AksActivitiesImpl(
        config.azure(), config.operationPolls(), config.stopping(), Caller::current);
  }

  @Bean
  KubernetesActivitiesImpl kubernetesActivities(ActivityConfig config) {
    return new KubernetesActivitiesImpl(config, Caller::current, Activities.kubeAccess(config));
  }
}
