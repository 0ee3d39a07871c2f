package io.refarch.workflow;

import io.refarch.spec.Cloud;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.aks.AksActivities;
import io.refarch.workflow.aks.AksProcedure;
import io.refarch.workflow.eks.EksActivities;
import io.refarch.workflow.eks.EksProcedure;
import io.refarch.workflow.gke.GkeActivities;
import io.refarch.workflow.gke.GkeProcedure;
import io.refarch.workflow.kubernetes.KubernetesActivities;
import java.util.List;

/** Picks a cloud's procedure; lists its steps without running them. */
public final class Procedures {
  private Procedures() {}

  static Procedure forSpec(
      ClusterSpec spec,
      GkeActivities gke,
      EksActivities eks,
      AksActivities aks,
      KubernetesActivities kube) {
    return forSpec(spec, gke, eks, aks, kube, true);
  }

  /**
   * With {@code preflight} false, without the preflight step: how runs started before it existed
   * replay. Only GKE has a preflight so far; EKS and AKS ignore it.
   */
  static Procedure forSpec(
      ClusterSpec spec,
      GkeActivities gke,
      EksActivities eks,
      AksActivities aks,
      KubernetesActivities kube,
      boolean preflight) {
    return switch (spec.cloud()) {
      case GCP -> new GkeProcedure(gke, kube, preflight);
      case AWS -> new EksProcedure(eks, kube);
      case AZURE -> new AksProcedure(aks, kube);
    };
  }

  /** The activity interfaces a worker must implement to run a cloud's procedure. */
  public static List<Class<?>> activitiesNeeded(Cloud cloud) {
    return switch (cloud) {
      case GCP -> List.of(GkeActivities.class, KubernetesActivities.class);
      case AWS -> List.of(EksActivities.class, KubernetesActivities.class);
      case AZURE -> List.of(AksActivities.class, KubernetesActivities.class);
    };
  }

  /**
   * The ordered steps a provisioning run of {@code spec} takes, with the request each sends. It
   * runs the very procedure the workflow runs, with nothing behind its activities, so the plan
   * cannot drift from the run.
   */
  public static List<PlannedStep> plan(ClusterSpec spec) {
    return plan(spec, true);
  }

  static List<PlannedStep> plan(ClusterSpec spec, boolean preflight) {
    Run run = Run.planning();
    forSpec(spec, null, null, null, null, preflight).run(spec, run);
    return run.plan();
  }
}
