package io.refarch.cli.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.refarch.cli.watch.Durations;
import io.refarch.cli.watch.RunWatcher;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.refarch.workflow.RunOutcome;
import io.refarch.workflow.RunSearchAttributes;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit of one run, read from its workflow history (not from logs): every activity with the
 * step it served, its input, its attempts, how long it took and how it ended; the compensations;
 * and the gaps where the run waited on something other than its activities (timers, a worker that
 * was down, a workflow task that timed out).
 */
public record RunAudit(
    String workflowId,
    String runId,
    String workflowType,
    String cloud,
    String cluster,
    String status,
    String startedAt,
    String closedAt,
    String duration,
    String failureType,
    String failureMessage,
    List<ActivityRecord> activities,
    List<Gap> gaps,
    RunOutcome outcome) {

  /**
   * One activity as the history shows it. Temporal records only the last attempt's start; its
   * {@code attempt} is how many tries it took, and {@code lastRetriedFailure} why the one before it
   * failed.
   */
  public record ActivityRecord(
      int number,
      String step,
      String activityType,
      String input,
      boolean compensation,
      int attempts,
      String scheduledAt,
      String startedAt,
      String closedAt,
      String duration,
      String result,
      String failureType,
      String failureMessage,
      String lastRetriedFailure) {}

  public record Gap(String at, String kind, String detail) {}

  /**
   * A worker that takes longer than this to pick up a workflow task was most likely not running.
   */
  private static final Duration WORKER_GAP = Duration.ofSeconds(5);

  public static RunAudit of(String workflowId, String runId, List<HistoryEvent> events) {
    return new Reader(workflowId, runId).read(events);
  }

  private static final class Reader {
    private final DataConverter converter = GlobalDataConverter.get();
    private final String workflowId;
    private final String runId;
    private String type;
    private String cloud;
    private String cluster;
    private String status = "RUNNING";
    private Instant started;
    private Instant closed;
    private String failureType;
    private String failureMessage;
    private RunOutcome outcome;
    private String step;
    private boolean undoing;
    private final Map<Long, Activity> activities = new LinkedHashMap<>();
    private final Map<Long, Instant> workflowTasks = new LinkedHashMap<>();
    private final List<Gap> gaps = new ArrayList<>();

    Reader(String workflowId, String runId) {
      this.workflowId = workflowId;
      this.runId = runId;
    }

    private static final class Activity {
      String step;
      String type;
      String input;
      boolean compensation;
      int attempts;
      Instant scheduled;
      Instant started;
      Instant closed;
      String result = "running";
      String failureType;
      String failureMessage;
      String lastRetriedFailure;
    }

    RunAudit read(List<HistoryEvent> events) {
      for (HistoryEvent e : events) {
        Instant at =
            Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos());
        switch (e.getEventType()) {
          case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> {
            var a = e.getWorkflowExecutionStartedEventAttributes();
            type = a.getWorkflowType().getName();
            started = at;
            Map<String, Payload> attributes = a.getSearchAttributes().getIndexedFieldsMap();
            cloud = keyword(attributes.get(RunSearchAttributes.CLOUD.getName()));
            cluster = keyword(attributes.get(RunSearchAttributes.CLUSTER.getName()));
          }
          case EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES -> {
            Payload p =
                e.getUpsertWorkflowSearchAttributesEventAttributes()
                    .getSearchAttributes()
                    .getIndexedFieldsMap()
                    .get(RunSearchAttributes.STEP.getName());
            if (p != null) {
              step = keyword(p);
            }
          }
          case EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED -> {
            undoing = ProvisionClusterWorkflow.TYPE.equals(type);
            gaps.add(
                new Gap(
                    at.toString(),
                    "cancel",
                    "cancellation requested"
                        + (e.getWorkflowExecutionCancelRequestedEventAttributes()
                                .getIdentity()
                                .isEmpty()
                            ? ""
                            : " by "
                                + e.getWorkflowExecutionCancelRequestedEventAttributes()
                                    .getIdentity())));
          }
          case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
            var a = e.getActivityTaskScheduledEventAttributes();
            Activity act = new Activity();
            act.step = step;
            act.type = a.getActivityType().getName();
            act.input = input(a.hasInput() ? a.getInput() : null);
            // In a provisioning run everything after the first failure or cancellation undoes.
            act.compensation = undoing;
            act.scheduled = at;
            activities.put(e.getEventId(), act);
          }
          case EVENT_TYPE_ACTIVITY_TASK_STARTED -> {
            var a = e.getActivityTaskStartedEventAttributes();
            Activity act = activities.get(a.getScheduledEventId());
            if (act != null) {
              act.attempts = a.getAttempt();
              act.started = at;
              if (a.hasLastFailure()) {
                act.lastRetriedFailure = RunWatcher.describe(a.getLastFailure());
              }
            }
          }
          case EVENT_TYPE_ACTIVITY_TASK_COMPLETED ->
              close(
                  e.getActivityTaskCompletedEventAttributes().getScheduledEventId(),
                  at,
                  "completed",
                  null);
          case EVENT_TYPE_ACTIVITY_TASK_FAILED -> {
            close(
                e.getActivityTaskFailedEventAttributes().getScheduledEventId(),
                at,
                "failed",
                e.getActivityTaskFailedEventAttributes().getFailure());
            undoing = ProvisionClusterWorkflow.TYPE.equals(type);
          }
          case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> {
            var a = e.getActivityTaskTimedOutEventAttributes();
            close(a.getScheduledEventId(), at, "timed out", a.getFailure());
            Activity act = activities.get(a.getScheduledEventId());
            gaps.add(
                new Gap(
                    at.toString(),
                    "activity timeout",
                    (act == null ? "an activity" : act.type)
                        + " timed out ("
                        + RunWatcher.describe(a.getFailure())
                        + "): the worker running it stopped answering"));
            undoing = ProvisionClusterWorkflow.TYPE.equals(type);
          }
          case EVENT_TYPE_ACTIVITY_TASK_CANCELED ->
              close(
                  e.getActivityTaskCanceledEventAttributes().getScheduledEventId(),
                  at,
                  "cancelled",
                  null);
          case EVENT_TYPE_WORKFLOW_TASK_SCHEDULED -> workflowTasks.put(e.getEventId(), at);
          case EVENT_TYPE_WORKFLOW_TASK_STARTED -> {
            Instant scheduled =
                workflowTasks.get(e.getWorkflowTaskStartedEventAttributes().getScheduledEventId());
            if (scheduled != null && Duration.between(scheduled, at).compareTo(WORKER_GAP) > 0) {
              gaps.add(
                  new Gap(
                      scheduled.toString(),
                      "no worker",
                      "no worker took the workflow task for "
                          + Durations.format(Duration.between(scheduled, at))
                          + " (was the worker down?)"));
            }
          }
          case EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT ->
              gaps.add(
                  new Gap(
                      at.toString(),
                      "workflow task timeout",
                      "workflow task timed out ("
                          + e.getWorkflowTaskTimedOutEventAttributes().getTimeoutType()
                          + "): the worker holding it stopped or stalled"));
          case EVENT_TYPE_WORKFLOW_TASK_FAILED ->
              gaps.add(
                  new Gap(
                      at.toString(),
                      "workflow task failure",
                      e.getWorkflowTaskFailedEventAttributes().getCause()
                          + ": "
                          + e.getWorkflowTaskFailedEventAttributes().getFailure().getMessage()));
          case EVENT_TYPE_TIMER_STARTED -> {
            var a = e.getTimerStartedEventAttributes();
            gaps.add(
                new Gap(
                    at.toString(),
                    "timer",
                    "timer "
                        + a.getTimerId()
                        + " for "
                        + Durations.format(
                            Duration.ofSeconds(
                                a.getStartToFireTimeout().getSeconds(),
                                a.getStartToFireTimeout().getNanos()))));
          }
          case EVENT_TYPE_TIMER_FIRED ->
              gaps.add(
                  new Gap(
                      at.toString(),
                      "timer",
                      "timer " + e.getTimerFiredEventAttributes().getTimerId() + " fired"));
          case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
            finish(at, "COMPLETED");
            Payloads result = e.getWorkflowExecutionCompletedEventAttributes().getResult();
            if (result.getPayloadsCount() > 0) {
              outcome = decode(result.getPayloads(0), RunOutcome.class);
            }
          }
          case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
            finish(at, "FAILED");
            Failure f = e.getWorkflowExecutionFailedEventAttributes().getFailure();
            failureType =
                f.hasApplicationFailureInfo()
                    ? f.getApplicationFailureInfo().getType()
                    : f.getFailureInfoCase().name();
            failureMessage = f.getMessage();
            if (f.hasApplicationFailureInfo()
                && f.getApplicationFailureInfo().getDetails().getPayloadsCount() > 0) {
              outcome =
                  decode(
                      f.getApplicationFailureInfo().getDetails().getPayloads(0), RunOutcome.class);
            }
          }
          case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> finish(at, "CANCELED");
          case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> {
            finish(at, "TERMINATED");
            failureMessage = e.getWorkflowExecutionTerminatedEventAttributes().getReason();
          }
          case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> finish(at, "TIMED_OUT");
          default -> {}
        }
      }
      List<ActivityRecord> records = new ArrayList<>();
      int n = 0;
      for (Activity a : activities.values()) {
        records.add(
            new ActivityRecord(
                ++n,
                a.step,
                a.type,
                a.input,
                a.compensation,
                Math.max(a.attempts, 1),
                a.scheduled.toString(),
                a.started == null ? null : a.started.toString(),
                a.closed == null ? null : a.closed.toString(),
                a.closed == null ? null : Durations.format(Duration.between(a.scheduled, a.closed)),
                a.result,
                a.failureType,
                a.failureMessage,
                a.lastRetriedFailure));
      }
      return new RunAudit(
          workflowId,
          runId,
          type,
          cloud,
          cluster,
          status,
          started == null ? null : started.toString(),
          closed == null ? null : closed.toString(),
          started == null || closed == null
              ? null
              : Durations.format(Duration.between(started, closed)),
          failureType,
          failureMessage,
          records,
          gaps,
          outcome);
    }

    private void finish(Instant at, String finalStatus) {
      closed = at;
      status = finalStatus;
    }

    private void close(long scheduledId, Instant at, String result, Failure failure) {
      Activity act = activities.get(scheduledId);
      if (act == null) {
        return;
      }
      act.closed = at;
      act.result = result;
      if (failure != null) {
        Failure root = failure;
        while (root.hasCause() && !root.hasApplicationFailureInfo()) {
          root = root.getCause();
        }
        act.failureType =
            root.hasApplicationFailureInfo()
                ? root.getApplicationFailureInfo().getType()
                : root.hasTimeoutFailureInfo() ? "Timeout" : root.getFailureInfoCase().name();
        act.failureMessage = root.getMessage();
      }
    }

    private String keyword(Payload p) {
      if (p == null) {
        return null;
      }
      try {
        JsonNode node = converter.fromPayload(p, JsonNode.class, JsonNode.class);
        return node.isArray() && node.size() > 0 ? node.get(0).asText() : node.asText();
      } catch (RuntimeException e) {
        return null;
      }
    }

    private <T> T decode(Payload p, Class<T> type) {
      try {
        return converter.fromPayload(p, type, type);
      } catch (RuntimeException e) {
        return null; // an encrypted payload (codec) or an older shape: the audit goes on without it
      }
    }

    /**
     * The activity's arguments, shortly: the spec by its cluster name, a kubeconfig by its name.
     */
    private String input(Payloads payloads) {
      if (payloads == null) {
        return "";
      }
      List<String> parts = new ArrayList<>();
      for (Payload p : payloads.getPayloadsList()) {
        JsonNode node = decode(p, JsonNode.class);
        if (node == null) {
          parts.add("(unreadable)");
        } else if (node.has("kind") && node.has("apiVersion") && node.has("name")) {
          parts.add("spec " + node.get("name").asText());
        } else if (node.isObject() && node.size() == 1 && node.has("path")) {
          parts.add("kubeconfig");
        } else if (node.isTextual()) {
          parts.add(node.asText());
        } else {
          String json = node.toString();
          parts.add(json.length() > 60 ? json.substring(0, 57) + "..." : json);
        }
      }
      return String.join(", ", parts);
    }
  }
}
