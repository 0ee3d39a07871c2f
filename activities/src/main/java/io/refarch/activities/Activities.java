package io.refarch.activities;

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
        new KubernetesActivitiesImpl(config, caller, kubeAccess(config)));
  }

  /** How in-cluster steps reach each cloud's clusters; EKS and AKS add theirs here. */
  public static KubeAccess kubeAccess(ActivityConfig config) {
    return KubeAccess.byCloud(Map.of(Cloud.GCP, new GkeKubeAccess(config.gcp())));
  }
}
