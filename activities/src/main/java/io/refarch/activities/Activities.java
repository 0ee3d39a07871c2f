package io.refarch.activities;

import io.refarch.activities.gke.GkeActivitiesImpl;
import io.refarch.activities.kubernetes.KubernetesActivitiesImpl;
import java.util.List;

/** The activity implementations a Temporal worker registers. */
public final class Activities {
  private Activities() {}

  /**
   * Cloud clients are created lazily on first use, so a worker that only ever runs one cloud never
   * needs the others' credentials.
   */
  public static List<Object> create(ActivityConfig config) {
    return List.of(new GkeActivitiesImpl(config), new KubernetesActivitiesImpl(config));
  }
}
