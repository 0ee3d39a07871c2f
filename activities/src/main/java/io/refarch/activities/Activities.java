package io.refarch.activities;

import io.refarch.activities.aks.AksActivitiesImpl;
import io.refarch.activities.aks.AksKubeAccess;
import io.refarch.activities.eks.EksActivitiesImpl;
import io.refarch.activities.eks.EksKubeAccess;
import io.refarch.activities.gke.GkeActivitiesImpl;
import io.refarch.activities.gke.GkeKubeAccess;
import io.refarch.activities.kubernetes.KubeAccess;
import io.refarch.activities.kubernetes.KubernetesActivitiesImpl;
import io.refarch.spec.Cloud;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The activity implementations a Temporal worker registers. */
public final class Activities {
  private Activities() {}

  /**
   * Cloud clients are created lazily on first use, so a worker that only ever runs one cloud never
   * needs the others' credentials.
   */
  public static List<Object> create(ActivityConfig config) {
    return create(config, Caller::current);
  }

  /** With {@code caller} saying which run calls, for tests that call activities directly. */
  public static List<Object> create(ActivityConfig config, Supplier<Caller> caller) {
    return List.of(
        new GkeActivitiesImpl(config, caller),
        eks(config, caller),
        new AksActivitiesImpl(config.azure(), config.operationPolls(), config.stopping(), caller),
        new KubernetesActivitiesImpl(config, caller, kubeAccess(config)));
  }

  /** The EKS activities, reaching AWS as {@code config.aws()} says. */
  public static EksActivitiesImpl eks(ActivityConfig config, Supplier<Caller> caller) {
    return new EksActivitiesImpl(
        config.aws(),
        config.operationPolls(),
        config.stopping(),
        caller,
        EksActivitiesImpl.Parts.AWS);
  }

  /** How in-cluster steps reach each cloud's clusters. */
  public static KubeAccess kubeAccess(ActivityConfig config) {
    return KubeAccess.byCloud(
        Map.of(
            Cloud.GCP, new GkeKubeAccess(config.gcp()),
            Cloud.AWS, new EksKubeAccess(config.aws()),
            Cloud.AZURE, new AksKubeAccess(config.azure())));
  }
}
