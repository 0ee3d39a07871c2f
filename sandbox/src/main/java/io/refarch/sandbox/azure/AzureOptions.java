package io.refarch.sandbox.azure;

import io.refarch.sandbox.azure.compute.VmSizes;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the sandbox's Azure is set up.
 *
 * @param tokenLifetime how long an access token of the emulated Entra opens ARM (Entra's are about
 *     an hour; shorter in tests of expiry)
 * @param vcpuLimits the subscription's vCPU quotas per region, by usage name: {@code cores} (Total
 *     Regional vCPUs) or a family such as {@code standardDv4Family}; others keep {@link
 *     #DEFAULT_TOTAL_VCPUS} and {@link #DEFAULT_FAMILY_VCPUS}
 */
public record AzureOptions(Duration tokenLifetime, Map<String, Long> vcpuLimits) {

  /**
   * An established pay-as-you-go subscription's figures (new ones start at 10–20 vCPUs per family),
   * large enough for the reference architecture's pools.
   */
  public static final long DEFAULT_TOTAL_VCPUS = 350;

  public static final long DEFAULT_FAMILY_VCPUS = 200;

  public static final String TOTAL = "cores";

  public AzureOptions {
    tokenLifetime = tokenLifetime == null ? Duration.ofHours(1) : tokenLifetime;
    if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
      throw new IllegalArgumentException("tokenLifetime must be positive, got " + tokenLifetime);
    }
    vcpuLimits = vcpuLimits == null ? Map.of() : Map.copyOf(vcpuLimits);
  }

  public static AzureOptions defaults() {
    return new AzureOptions(null, null);
  }

  public AzureOptions withTokenLifetime(Duration lifetime) {
    return new AzureOptions(lifetime, vcpuLimits);
  }

  /** The vCPU quota {@code usage} ({@code cores} or a family name) at {@code limit}. */
  public AzureOptions withQuota(String usage, long limit) {
    if (!usage.equals(TOTAL) && !VmSizes.families().containsKey(usage)) {
      throw new IllegalArgumentException(
          "Azure quota '"
              + usage
              + "' is not emulated; the sandbox knows "
              + TOTAL
              + " and "
              + VmSizes.families().keySet());
    }
    if (limit < 0) {
      throw new IllegalArgumentException("Azure quota " + usage + " must not be negative");
    }
    Map<String, Long> all = new TreeMap<>(vcpuLimits);
    all.put(usage, limit);
    return new AzureOptions(tokenLifetime, all);
  }

  public long limit(String usage) {
    return vcpuLimits.getOrDefault(
        usage, usage.equals(TOTAL) ? DEFAULT_TOTAL_VCPUS : DEFAULT_FAMILY_VCPUS);
  }
}
