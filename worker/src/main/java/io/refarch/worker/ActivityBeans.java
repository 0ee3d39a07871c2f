package io.refarch.worker;

import io.refarch.activities.Activities;
import io.refarch.activities.ActivityConfig;
import io.refarch.activities.Caller;
import io.refarch.activities.GcpConnection;
import io.refarch.activities.WorkerStopping;
import io.refarch.activities.eks.EksActivitiesImpl;
import io.refarch.activities.gke.GkeActivitiesImpl;
import io.refarch.activities.kubernetes.KubernetesActivitiesImpl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The activity implementations the worker registers (named in application.yaml). */
@Configuration
class ActivityBeans {

  /** Announced by {@link GracefulStop} when the process begins to stop. */
  @Bean
  WorkerStopping workerStopping() {
    return new WorkerStopping();
  }

  @Bean
  ActivityConfig activityConfig(WorkerSettings settings, WorkerStopping stopping) {
    ActivityConfig defaults = ActivityConfig.defaults();
    WorkerSettings.Gcp gcp = settings.gcp();
    GcpConnection connection =
        gcp != null && gcp.sandbox()
            ? GcpConnection.sandbox(gcp.restEndpoint(), gcp.iamGrpcTarget())
            : GcpConnection.real();
    return new ActivityConfig(
        settings.kubeconfigDir() != null ? settings.kubeconfigDir() : defaults.kubeconfigDir(),
        connection,
        settings.pollInitial() != null ? settings.pollInitial() : defaults.pollInitial(),
        settings.pollMax() != null ? settings.pollMax() : defaults.pollMax(),
        settings.nodeWait() != null ? settings.nodeWait() : defaults.nodeWait(),
        stopping);
  }

  @Bean
  GkeActivitiesImpl gkeActivities(ActivityConfig config) {
    return new GkeActivitiesImpl(config);
  }

  /** Real AWS with the SDK's default credential chain, resolved when an EKS step first runs. */
  @Bean
  EksActivitiesImpl eksActivities(ActivityConfig config) {
    return Activities.eks(config, Caller::current);
  }

  @Bean
  KubernetesActivitiesImpl kubernetesActivities(ActivityConfig config) {
    return new KubernetesActivitiesImpl(config, Caller::current, Activities.kubeAccess(config));
  }
}
