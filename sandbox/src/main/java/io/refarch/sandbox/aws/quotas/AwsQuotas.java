package io.refarch.sandbox.aws.quotas;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The sandbox account's AWS quotas by Service Quotas code, the same in every region: what {@code
 * refarch preflight} reads through Service Quotas' GetServiceQuota and EC2's
 * DescribeAccountAttributes. Quotas not set keep AWS's defaults for a new account.
 *
 * @param limits the limits set, by quota code (e.g. {@code L-1216C47A=8})
 */
public record AwsQuotas(Map<String, Double> limits) {

  /** EC2 "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances", in vCPUs. */
  public static final String STANDARD_VCPUS = "L-1216C47A";

  /** EC2-VPC Elastic IPs per region. */
  public static final String ELASTIC_IPS = "L-0263D0A3";

  /** A quota the sandbox answers: its name and default. */
  public record Quota(String name, double defaultValue) {}

  /**
   * The quotas answered. 640 vCPUs is what an established account typically has (a brand-new one
   * starts lower); 5 Elastic IPs is AWS's default.
   */
  public static final Map<String, Quota> KNOWN =
      Map.of(
          STANDARD_VCPUS,
          new Quota("Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances", 640),
          ELASTIC_IPS,
          new Quota("EC2-VPC Elastic IPs", 5));

  private static final Pattern SETTING = Pattern.compile("(L-[0-9A-F]{8})=(\\d+)");

  public AwsQuotas {
    limits = limits == null ? Map.of() : Map.copyOf(limits);
  }

  public static AwsQuotas defaults() {
    return new AwsQuotas(Map.of());
  }

  /** With {@code code}'s limit set; only the quotas of {@link #KNOWN}. */
  public AwsQuotas with(String code, double limit) {
    if (!KNOWN.containsKey(code)) {
      throw new IllegalArgumentException(
          "AWS quota '" + code + "' is not emulated; the sandbox knows " + KNOWN.keySet());
    }
    if (limit < 0) {
      throw new IllegalArgumentException("AWS quota " + code + " must not be negative");
    }
    Map<String, Double> all = new TreeMap<>(limits);
    all.put(code, limit);
    return new AwsQuotas(all);
  }

  /** {@code CODE=LIMIT}, e.g. {@code L-1216C47A=8}; throws naming the bad value. */
  public AwsQuotas with(String setting) {
    var m = SETTING.matcher(setting == null ? "" : setting);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "AWS quota '" + setting + "' is not CODE=LIMIT, e.g. " + STANDARD_VCPUS + "=8");
    }
    return with(m.group(1), Double.parseDouble(m.group(2)));
  }

  /** The quota's value: as set, else its default. */
  public double value(String code) {
    Quota known = KNOWN.get(code);
    return limits.getOrDefault(code, known == null ? 0 : known.defaultValue());
  }
}
