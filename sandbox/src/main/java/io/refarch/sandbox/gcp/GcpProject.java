package io.refarch.sandbox.gcp;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How the emulated projects are set up, for what {@code refarch preflight} checks: the APIs that
 * are disabled (serviceusage answers DISABLED for them) and the regional quota limits Compute
 * Engine's {@code regions.get} reports. Every project of the sandbox shares them.
 *
 * @param disabledApis service names, e.g. {@code container.googleapis.com}
 * @param quotaLimits limits by {@code METRIC} (every region) or {@code REGION/METRIC} (one region),
 *     overriding {@link #DEFAULT_LIMITS}
 */
public record GcpProject(Set<String> disabledApis, Map<String, Double> quotaLimits) {

  /**
   * The CPU quotas every region reports unless overridden: room for the presets (the 000 seed's
   * three pools in three zones need 108 N2D vCPUs), unlike a new real project's 24 CPUS.
   */
  public static final Map<String, Double> DEFAULT_LIMITS =
      Map.of(
          "CPUS", 500.0,
          "N2_CPUS", 500.0,
          "N2D_CPUS", 500.0,
          "C2_CPUS", 500.0,
          "C2D_CPUS", 500.0,
          "C3_CPUS", 500.0,
          "T2D_CPUS", 500.0);

  private static final Pattern SERVICE = Pattern.compile("[a-z][-a-z0-9]*(\\.[a-z][-a-z0-9]*)+");
  private static final Pattern QUOTA =
      Pattern.compile("(?:([a-z]+-[a-z]+[0-9]+)/)?([A-Z][A-Z0-9_]*)=([0-9]+(\\.[0-9]+)?)");

  public GcpProject {
    disabledApis = Set.copyOf(disabledApis == null ? Set.of() : disabledApis);
    quotaLimits = Map.copyOf(quotaLimits == null ? Map.of() : quotaLimits);
  }

  /** Every API enabled, the default limits. */
  public static GcpProject defaults() {
    return new GcpProject(Set.of(), Map.of());
  }

  public GcpProject withDisabledApi(String service) {
    if (!SERVICE.matcher(service).matches()) {
      throw new IllegalArgumentException(
          "not a service name: '" + service + "' (e.g. container.googleapis.com)");
    }
    Set<String> apis = new TreeSet<>(disabledApis);
    apis.add(service);
    return new GcpProject(apis, quotaLimits);
  }

  /**
   * Adds a limit, {@code [REGION/]METRIC=LIMIT}: {@code us-central1/N2D_CPUS=24} or {@code CPUS=24}
   * (every region). Throws IllegalArgumentException naming the bad part.
   */
  public GcpProject withQuota(String text) {
    var m = QUOTA.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "quota '" + text + "' is not [REGION/]METRIC=LIMIT, e.g. us-central1/N2D_CPUS=24");
    }
    Map<String, Double> limits = new TreeMap<>(quotaLimits);
    limits.put(
        (m.group(1) == null ? "" : m.group(1) + "/") + m.group(2), Double.valueOf(m.group(3)));
    return new GcpProject(disabledApis, limits);
  }

  /** The limits {@code region} reports: the defaults, then every-region, then this region's. */
  public Map<String, Double> limits(String region) {
    Map<String, Double> limits = new TreeMap<>(DEFAULT_LIMITS);
    quotaLimits.forEach(
        (key, limit) -> {
          if (!key.contains("/")) {
            limits.put(key, limit);
          }
        });
    quotaLimits.forEach(
        (key, limit) -> {
          if (key.startsWith(region + "/")) {
            limits.put(key.substring(region.length() + 1), limit);
          }
        });
    return limits;
  }
}
