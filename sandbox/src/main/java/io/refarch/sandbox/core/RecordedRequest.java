package io.refarch.sandbox.core;

import java.time.Instant;

/**
 * One request the sandbox received, for tests that compare what different clients send.
 *
 * @param method HTTP method, or "GRPC" for gRPC calls
 * @param path decoded path (for gRPC: /service/method)
 * @param query raw query string, empty when absent
 * @param body request body as sent (JSON), empty when absent; for gRPC the proto3 JSON of the
 *     request
 * @param arrivedNanos when it arrived, in nanoseconds since the epoch (a number, so the log stays
 *     plain JSON): benchmarks read off it when a client noticed an operation's end
 */
public record RecordedRequest(
    String method, String path, String query, String body, long arrivedNanos) {

  /** A request arriving now. */
  public RecordedRequest(String method, String path, String query, String body) {
    this(method, path, query, body, nanos(Instant.now()));
  }

  /** A request that arrived at {@code at} (tests of what reads the log). */
  public RecordedRequest(String method, String path, String query, String body, Instant at) {
    this(method, path, query, body, nanos(at));
  }

  /** When it arrived. */
  public Instant arrived() {
    return Instant.ofEpochSecond(0, arrivedNanos);
  }

  private static long nanos(Instant at) {
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }
}
