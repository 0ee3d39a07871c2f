package io.refarch.sandbox.core;

import java.time.Duration;
import java.time.Instant;

/**
 * When the cloud started and finished one long-running operation: what a client waited for, against
 * which its own notice of the end is measured.
 *
 * @param id the operation's id, the last segment of the name clients read it by
 * @param kind e.g. {@code gke.CREATE_CLUSTER}
 * @param target the resource's short name (a cluster or node pool)
 * @param started when the cloud accepted it
 * @param ended when the cloud finished it; null while it runs
 */
public record OperationTiming(
    String id, String kind, String target, Instant started, Instant ended) {

  public Duration duration() {
    return ended == null ? null : Duration.between(started, ended);
  }
}
