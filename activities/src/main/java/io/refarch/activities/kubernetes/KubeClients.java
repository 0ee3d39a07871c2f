package io.refarch.activities.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.refarch.activities.Failures;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.kubernetes.ClusterRef;

/** A fabric8 client for a cluster, built from its cloud on every call (see {@link KubeAccess}). */
final class KubeClients {
  private KubeClients() {}

  static KubernetesClient open(KubeAccess access, ClusterRef cluster) {
    if (cluster == null
        || cluster.owner() == null
        || cluster.region() == null
        || cluster.name() == null) {
      throw Failures.permanent(
          FailureTypes.INVALID_ARGUMENT,
          "no cluster coordinates given (cloud, project or account, region, name): " + cluster);
    }
    return new KubernetesClientBuilder().withConfig(access.config(cluster)).build();
  }
}
