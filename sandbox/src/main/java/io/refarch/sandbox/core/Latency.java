package io.refarch.sandbox.core;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long the emulated clouds' long-running operations take, per kind of operation ({@code
 * gke.CREATE_CLUSTER}, {@code eks.CREATE_NODEGROUP}, {@code ec2.CREATE_NAT_GATEWAY}: the service's
 * key and its own operation type), scaled by a factor.
 *
 * <p>{@code default} is the sandbox of every test: each operation takes the same short time, so a
 * whole run takes seconds. {@code realistic} takes typical figures of the real clouds (see
 * docs/sandbox.md for where they come from), usually scaled down, e.g. {@code realistic:1/60}: a
 * six-minute cluster create takes six seconds, and the ratios of a run (its wall time to its
 * critical path) are those of a real one.
 *
 * @param profile the profile's name, as the text form gives it
 * @param otherwise what an operation not in {@code byOperation} takes, before scaling
 * @param byOperation unscaled durations by kind of operation
 * @param scale the factor every duration is multiplied by
 */
public record Latency(
    String profile, Duration otherwise, Map<String, Duration> byOperation, double scale) {

  /** The text form's profile names. */
  public static final String DEFAULT = "default";

  public static final String REALISTIC = "realistic";

  /**
   * Typical durations of the real clouds' operations, for a regional cluster as the reference
   * architecture builds it (three zones, one node per zone). Typical, not guaranteed: real
   * operations vary by a factor of two either way. Where they come from: docs/sandbox.md.
   */
  public static final Map<String, Duration> TYPICAL =
      Map.ofEntries(
          Map.entry("gke.CREATE_CLUSTER", Duration.ofMinutes(6)),
          Map.entry("gke.DELETE_CLUSTER", Duration.ofMinutes(4)),
          Map.entry("gke.CREATE_NODE_POOL", Duration.ofMinutes(3)),
          Map.entry("gke.DELETE_NODE_POOL", Duration.ofMinutes(3)),
          Map.entry("eks.CREATE_CLUSTER", Duration.ofMinutes(10)),
          Map.entry("eks.DELETE_CLUSTER", Duration.ofMinutes(4)),
          Map.entry("eks.CREATE_NODEGROUP", Duration.ofMinutes(4)),
          Map.entry("eks.DELETE_NODEGROUP", Duration.ofMinutes(5)),
          Map.entry("ec2.CREATE_NAT_GATEWAY", Duration.ofSeconds(90)),
          Map.entry("ec2.DELETE_NAT_GATEWAY", Duration.ofMinutes(1)),
          Map.entry("aks.CREATE_CLUSTER", Duration.ofMinutes(6)),
          Map.entry("aks.DELETE_CLUSTER", Duration.ofMinutes(5)),
          Map.entry("aks.UPDATE_CLUSTER", Duration.ofMinutes(5)),
          Map.entry("aks.CREATE_AGENT_POOL", Duration.ofMinutes(3).plusSeconds(30)),
          Map.entry("aks.UPDATE_AGENT_POOL", Duration.ofMinutes(3)),
          Map.entry("aks.DELETE_AGENT_POOL", Duration.ofMinutes(5)),
          Map.entry("arm.DELETE_RESOURCE_GROUP", Duration.ofMinutes(1)));

  /** An operation of a type not in {@link #TYPICAL} (GKE upgrades, repairs). */
  static final Duration TYPICAL_OTHER = Duration.ofMinutes(2);

  public Latency {
    if (otherwise == null || otherwise.isNegative()) {
      throw new IllegalArgumentException("an operation's duration must not be negative");
    }
    byOperation = Map.copyOf(byOperation == null ? Map.of() : byOperation);
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("the scale must be a positive number, got " + scale);
    }
  }

  /** Every operation takes {@code duration}: the sandbox as tests know it. */
  public static Latency flat(Duration duration) {
    return new Latency(DEFAULT, duration, Map.of(), 1);
  }

  /** The real clouds' typical durations, unscaled. */
  public static Latency realistic() {
    return new Latency(REALISTIC, TYPICAL_OTHER, TYPICAL, 1);
  }

  /**
   * Parses {@code PROFILE[:SCALE]}: {@code default} (each operation takes {@code flat}) or {@code
   * realistic}; SCALE a fraction ({@code 1/60}) or a decimal ({@code 0.5}). Throws
   * IllegalArgumentException saying what is wrong.
   */
  public static Latency parse(String text, Duration flat) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "expected default or realistic, optionally with :SCALE (e.g. realistic:1/60)");
    }
    int colon = text.indexOf(':');
    String name = colon < 0 ? text.trim() : text.substring(0, colon).trim();
    Latency profile =
        switch (name) {
          case DEFAULT -> flat(flat);
          case REALISTIC -> realistic();
          default ->
              throw new IllegalArgumentException(
                  "unknown latency profile '"
                      + name
                      + "': expected default or realistic, optionally with :SCALE (e.g. realistic:1/60)");
        };
    return colon < 0 ? profile : profile.scaled(parseScale(text.substring(colon + 1).trim()));
  }

  private static double parseScale(String text) {
    try {
      int slash = text.indexOf('/');
      double value =
          slash < 0
              ? Double.parseDouble(text)
              : Double.parseDouble(text.substring(0, slash))
                  / Double.parseDouble(text.substring(slash + 1));
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "bad latency scale '" + text + "': expected a positive fraction (1/60) or number (0.5)");
    }
  }

  /** The same profile, {@code factor} times as long again. */
  public Latency scaled(double factor) {
    return new Latency(profile, otherwise, byOperation, scale * factor);
  }

  /** How long an operation of kind {@code operation} (e.g. {@code gke.CREATE_CLUSTER}) takes. */
  public Duration of(String operation) {
    Duration unscaled = byOperation.getOrDefault(operation, otherwise);
    return Duration.ofNanos(Math.round(unscaled.toNanos() * scale));
  }

  /** Every kind of operation named, with its scaled duration, sorted by name. */
  public Map<String, Duration> scaledDurations() {
    Map<String, Duration> all = new TreeMap<>();
    byOperation.keySet().forEach(k -> all.put(k, of(k)));
    return all;
  }

  /** The text form, e.g. {@code realistic:1/60}, {@code default}. */
  @Override
  public String toString() {
    if (scale == 1) {
      return profile;
    }
    double inverse = 1 / scale;
    if (scale < 1 && Math.abs(inverse - Math.rint(inverse)) < 1e-9) {
      return profile + ":1/" + (long) Math.rint(inverse);
    }
    return profile + ":" + scale;
  }
}
