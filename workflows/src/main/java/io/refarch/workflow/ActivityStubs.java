package io.refarch.workflow;

import io.refarch.workflow.aks.AksActivities;
import io.refarch.workflow.eks.EksActivities;
import io.refarch.workflow.gke.GkeActivities;
import io.refarch.workflow.kubernetes.KubernetesActivities;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.stream.Stream;

/** The activity options of every step, in one place. */
final class ActivityStubs {

  /**
   * Transient cloud errors (unavailable, an operation already running on the cluster, throttling)
   * retry with backoff for about half an hour; the permanent types stop at once.
   *
   * <p>So does the SDK's "activity type not registered" failure: the workers of a task queue
   * register the same types, so another attempt lands on a worker just as unable (retrying it used
   * to take the whole budget, then as long again for each compensating delete). That type is the
   * SDK's {@code java.lang.IllegalArgumentException}; refarch's activities raise their own types,
   * so one of theirs that escapes as a bare IllegalArgumentException is a bad argument, which no
   * retry fixes either. Retry options are not part of a workflow's replay check.
   */
  static final RetryOptions RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(2))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setMaximumAttempts(30)
          .setDoNotRetry(
              Stream.concat(
                      FailureTypes.PERMANENT.stream(),
                      Stream.of(FailureTypes.SDK_ACTIVITY_NOT_REGISTERED))
                  .toArray(String[]::new))
          .build();

  /**
   * Long cloud operations (a GKE cluster takes minutes, an EKS control plane a quarter of an hour)
   * heartbeat while they poll; a worker that dies is noticed within the heartbeat timeout and the
   * retry resumes waiting from the operation id in the last heartbeat. Cancellation waits for the
   * activity to stop so a compensation never races the create it undoes.
   */
  static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(2))
          .setHeartbeatTimeout(Duration.ofMinutes(2))
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .setRetryOptions(RETRY)
          .build();

  final GkeActivities gke = Workflow.newActivityStub(GkeActivities.class, OPTIONS);
  final EksActivities eks = Workflow.newActivityStub(EksActivities.class, OPTIONS);
  final AksActivities aks = Workflow.newActivityStub(AksActivities.class, OPTIONS);
  final KubernetesActivities kube = Workflow.newActivityStub(KubernetesActivities.class, OPTIONS);
}
