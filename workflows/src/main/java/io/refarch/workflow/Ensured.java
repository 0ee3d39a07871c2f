package io.refarch.workflow;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * What an ensure found: a resource this run {@link #CREATED}, or one that already existed and
 * matched the spec, which the run {@link #ADOPTED} and so must never delete when it fails.
 */
public enum Ensured {
  CREATED,
  ADOPTED;

  /**
   * Reads a recorded result. Histories from before ensures reported this hold nothing (null) or,
   * for the service account, its email; both meant "created", which is how the run treated them.
   */
  @JsonCreator
  public static Ensured read(String recorded) {
    return "ADOPTED".equals(recorded) ? ADOPTED : CREATED;
  }
}
