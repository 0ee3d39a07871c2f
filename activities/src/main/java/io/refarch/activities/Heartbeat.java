package io.refarch.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.Optional;

/**
 * Progress reported from inside a long activity. The details survive a failed attempt, so the next
 * attempt can resume (e.g. keep waiting for the cloud operation the last one started).
 */
public interface Heartbeat {

  void beat(String details);

  /** What the previous attempt last reported, if anything. */
  Optional<String> previous();

  /** The heartbeat of the activity running on this thread. */
  static Heartbeat ofCurrentActivity() {
    ActivityExecutionContext context = Activity.getExecutionContext();
    return new Heartbeat() {
      @Override
      public void beat(String details) {
        context.heartbeat(details);
      }

      @Override
      public Optional<String> previous() {
        return context.getHeartbeatDetails(String.class);
      }
    };
  }
}
