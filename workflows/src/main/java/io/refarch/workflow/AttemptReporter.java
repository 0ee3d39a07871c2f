package io.refarch.workflow;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.util.Optional;

/**
 * Tells a run when one of its activities starts a retry, so the {@code progress} query shows the
 * attempt of the running step. Temporal retries activities on the server, out of the workflow's
 * sight; a worker-side interceptor sees each attempt start and signals the workflow. Best effort: a
 * signal that cannot be sent never fails the activity.
 */
public final class AttemptReporter extends WorkerInterceptorBase {

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityExecutionContext context;

      @Override
      public void init(ActivityExecutionContext context) {
        this.context = context;
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        ActivityInfo info = context.getInfo();
        if (info.getAttempt() > 1) {
          try {
            context
                .getWorkflowClient()
                .newUntypedWorkflowStub(
                    info.getWorkflowId(), Optional.of(info.getRunId()), Optional.empty())
                .signal(
                    ProvisionClusterWorkflow.ATTEMPT_SIGNAL,
                    info.getScheduledTimestamp(),
                    info.getAttempt());
          } catch (RuntimeException ignored) {
            // The run may have ended, or the server be briefly away: the attempt shows in history
            // anyway.
          }
        }
        return super.execute(input);
      }
    };
  }
}
