package io.refarch.sandbox.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One emulated API's state, as the sandbox keeps it: saved to and restored from the state file
 * under {@link #key()}, listed in the inventory, forgotten on reset. A cloud adds a service by
 * implementing this; persistence and the inventory need nothing else from it.
 */
public interface EmulatedService {

  /** The service's member in the state file, e.g. "gke"; never changes, or saved state is lost. */
  String key();

  /** The whole state, as JSON. */
  JsonNode snapshot();

  /**
   * Replaces the state with a snapshot (a missing node: empty). With {@code serve}, starts what the
   * state serves (a cluster's API); without, the state is only read, e.g. to list it while another
   * process runs it.
   */
  void restore(JsonNode snapshot, boolean serve);

  /**
   * What exists, one resource a line, each starting with the service's prefix ("gke ...", "gcp
   * ...").
   */
  List<String> inventory();

  /** Forgets everything. */
  void clear();

  /** Stops what the state serves, keeping the state (the sandbox closes). */
  default void stop() {}
}
