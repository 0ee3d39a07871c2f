package io.refarch.workflow;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.Header;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.workflow.WorkflowThreadLocal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tells a run when one of its activities starts a retry, so the {@code progress} query shows the
 * attempt of the running step. Temporal retries activities on the server, out of the workflow's
 * sight; a worker-side interceptor sees each attempt start and signals the workflow. Best effort: a
 * signal that cannot be sent never fails the activity.
 *
 * <p>Steps made together ({@link Steps#createTogether}) run their activities at the same moment, so
 * the scheduled time alone cannot tell whose attempt it is: the workflow side puts the step's
 * number on each activity it schedules (a header, outside the replay check, holding nothing but
 * that number), and the signal carries it back.
 */
public final class AttemptReporter extends WorkerInterceptorBase {

  /**
   * How the heartbeat of an attempt that handed its wait back to the server begins (see the
   * activities' {@code Heartbeat}): its next attempt is one more read of the same wait, not a retry
   * worth telling the run about (a signal per read would grow the run's history with every read).
   */
  private static final String HANDED_BACK = "waiting, handed back to the server: ";

  /** {@code details} marked as the heartbeat of an attempt that handed its wait back. */
  public static String handedBack(String details) {
    return HANDED_BACK + details;
  }

  /** Whether {@code details} carry the mark of {@link #handedBack(String)}. */
  public static boolean isHandedBack(String details) {
    return details.startsWith(HANDED_BACK);
  }

  /** {@code details} without the mark of a handed-back wait. */
  public static String unmarked(String details) {
    return isHandedBack(details) ? details.substring(HANDED_BACK.length()) : details;
  }

  /** The header naming the step an activity belongs to. */
  static final String STEP_HEADER = "refarch-step";

  /** The step the current workflow thread is running; set by the run's ledger. */
  static final WorkflowThreadLocal<String> STEP = new WorkflowThreadLocal<>();

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public void init(WorkflowOutboundCallsInterceptor outbound) {
        super.init(
            new WorkflowOutboundCallsInterceptorBase(outbound) {
              @Override
              public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
                String step = STEP.get();
                if (step == null) {
                  return super.executeActivity(input);
                }
                Map<String, Payload> values = new HashMap<>(input.getHeader().getValues());
                values.put(
                    STEP_HEADER, DefaultDataConverter.STANDARD_INSTANCE.toPayload(step).get());
                return super.executeActivity(
                    new ActivityInput<>(
                        input.getActivityName(),
                        input.getResultClass(),
                        input.getResultType(),
                        input.getArgs(),
                        input.getOptions(),
                        new Header(values)));
              }
            });
      }
    };
  }

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
        if (info.getAttempt() > 1 && !previousHandedBack(context)) {
          Payload step = input.getHeader().getValues().get(STEP_HEADER);
          try {
            context
                .getWorkflowClient()
                .newUntypedWorkflowStub(
                    info.getWorkflowId(), Optional.of(info.getRunId()), Optional.empty())
                .signal(
                    ProvisionClusterWorkflow.ATTEMPT_SIGNAL,
                    info.getScheduledTimestamp(),
                    info.getAttempt(),
                    step == null
                        ? null
                        : DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
                            step, String.class, String.class));
          } catch (RuntimeException ignored) {
            // The run may have ended, or the server be briefly away: the attempt shows in history
            // anyway.
          }
        }
        return super.execute(input);
      }
    };
  }

  private static boolean previousHandedBack(ActivityExecutionContext context) {
    try {
      return context
          .getHeartbeatDetails(String.class)
          .filter(AttemptReporter::isHandedBack)
          .isPresent();
    } catch (RuntimeException notText) {
      return false;
    }
  }
}
