package io.refarch.integration;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A run's history as {@code temporal workflow show -o json} prints it, read as steps. */
final class History {
  /**
   * One activity as the history records it: its last attempt, who ran it, how the one before ended
   * and when the last began (the started event's time).
   */
  record Activity(
      String type,
      String argument,
      long attempt,
      String identity,
      JsonNode lastFailure,
      String outcome,
      String startedAt) {}

  final JsonNode events;

  History(JsonNode shown) {
    this.events = shown.path("events");
  }

  List<String> eventTypes() {
    List<String> types = new ArrayList<>();
    events.forEach(e -> types.add(e.path("eventType").asText()));
    return types;
  }

  /**
   * Every activity in scheduling order; argument is the second input (the node pool) when there is
   * one.
   */
  List<Activity> activities() {
    Map<String, JsonNode> scheduled = new HashMap<>();
    Map<String, JsonNode> started = new HashMap<>();
    Map<String, String> outcome = new HashMap<>();
    List<String> order = new ArrayList<>();
    for (JsonNode e : events) {
      String id = e.path("eventId").asText();
      switch (e.path("eventType").asText()) {
        case "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED" -> {
          scheduled.put(id, e.path("activityTaskScheduledEventAttributes"));
          order.add(id);
        }
        case "EVENT_TYPE_ACTIVITY_TASK_STARTED" ->
            started.put(
                e.path("activityTaskStartedEventAttributes").path("scheduledEventId").asText(), e);
        case "EVENT_TYPE_ACTIVITY_TASK_COMPLETED" ->
            outcome.put(
                e.path("activityTaskCompletedEventAttributes").path("scheduledEventId").asText(),
                "completed");
        case "EVENT_TYPE_ACTIVITY_TASK_FAILED" ->
            outcome.put(
                e.path("activityTaskFailedEventAttributes").path("scheduledEventId").asText(),
                "failed");
        case "EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT" ->
            outcome.put(
                e.path("activityTaskTimedOutEventAttributes").path("scheduledEventId").asText(),
                "timed out");
        case "EVENT_TYPE_ACTIVITY_TASK_CANCELED" ->
            outcome.put(
                e.path("activityTaskCanceledEventAttributes").path("scheduledEventId").asText(),
                "canceled");
        default -> {}
      }
    }
    List<Activity> activities = new ArrayList<>();
    for (String id : order) {
      JsonNode s = scheduled.get(id);
      JsonNode payloads = s.path("input").path("payloads");
      String argument = payloads.size() > 1 ? decode(payloads.get(1)) : null;
      JsonNode st = started.get(id);
      JsonNode sa = st == null ? null : st.path("activityTaskStartedEventAttributes");
      activities.add(
          new Activity(
              s.path("activityType").path("name").asText(),
              argument,
              sa == null ? 0 : sa.path("attempt").asLong(),
              sa == null ? null : sa.path("identity").asText(),
              sa == null ? null : sa.get("lastFailure"),
              outcome.getOrDefault(id, "pending"),
              st == null ? null : st.path("eventTime").asText(null)));
    }
    return activities;
  }

  /** A JSON payload as the CLI prints it (base64 data), read as text. */
  private static String decode(JsonNode payload) {
    try {
      byte[] json = java.util.Base64.getDecoder().decode(payload.path("data").asText());
      return TemporalCli.JSON.readTree(json).asText();
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new AssertionError("not a JSON payload: " + payload, e);
    }
  }

  Activity activity(String type, String argument) {
    return activities().stream()
        .filter(a -> a.type().equals(type) && (argument == null || argument.equals(a.argument())))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no " + type + " " + argument + " in the history: " + activities()));
  }
}
