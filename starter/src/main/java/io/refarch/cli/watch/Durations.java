package io.refarch.cli.watch;

import java.time.Duration;
import java.time.Instant;

/** Short human durations: 0.4s, 12.3s, 4m05s, 1h02m. */
public final class Durations {
  private Durations() {}

  public static String between(String startIso, String endIso, Instant now) {
    if (startIso == null) {
      return "";
    }
    Instant start = Instant.parse(startIso);
    Instant end = endIso == null ? now : Instant.parse(endIso);
    return format(Duration.between(start, end));
  }

  public static String format(Duration d) {
    long ms = Math.max(0, d.toMillis());
    if (ms < 60_000) {
      return String.format("%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
