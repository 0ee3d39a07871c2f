package io.refarch.activities.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.refarch.activities.Failures;
import io.refarch.spec.Cloud;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.kubernetes.ClusterRef;
import java.util.Map;

/**
 * How a worker reaches a cluster's Kubernetes API, one implementation per cloud: the endpoint and
 * CA from the cloud's describe call, and a bearer token from the worker's own credential chain
 * (GKE: the Application Default Credentials' access token). Called on every attempt of an
 * in-cluster step, so no attempt depends on a file another worker wrote or on a token that may have
 * expired. What it returns stays in the worker's memory: it never enters an activity's result,
 * heartbeat or failure.
 */
@FunctionalInterface
public interface KubeAccess {

  /**
   * A fabric8 client configuration for {@code cluster}, with a token that the client renews itself
   * when it expires during a long step. Fails with a Temporal {@code ApplicationFailure} (retryable
   * or not) when the cloud or the credentials refuse.
   */
  Config config(ClusterRef cluster);

  /** Dispatches on the cluster's cloud; a cloud without an implementation is the worker's setup. */
  static KubeAccess byCloud(Map<Cloud, KubeAccess> clouds) {
    return cluster -> {
      if (cluster == null || cluster.cloud() == null) {
        throw Failures.permanent(
            FailureTypes.INVALID_ARGUMENT,
            "no cluster coordinates given (an in-cluster step scheduled by an older refarch?)");
      }
      KubeAccess access = clouds.get(cluster.cloud());
      if (access == null) {
        throw Failures.permanent(
            FailureTypes.CONFIGURATION,
            "this worker cannot reach " + cluster.cloud().id() + " clusters yet");
      }
      return access.config(cluster);
    };
  }
}
