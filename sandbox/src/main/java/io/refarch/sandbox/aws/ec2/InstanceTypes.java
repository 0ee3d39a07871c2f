package io.refarch.sandbox.aws.ec2;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The EC2 instance types DescribeInstanceTypes answers, with AWS's real vCPU counts and memory:
 * those refarch's presets and examples use (m6i.xlarge, m6i.2xlarge) and their common neighbours.
 */
public final class InstanceTypes {

  /** One type: its default vCPUs and memory in MiB. */
  public record InstanceType(String name, int vcpus, long memoryMib) {}

  private static final Map<String, InstanceType> TYPES = new TreeMap<>();

  static {
    // GiB per vCPU of the general purpose (m), compute (c) and memory (r) families.
    Map<String, Integer> families =
        Map.of(
            "m5", 4, "m6i", 4, "m6a", 4, "m7i", 4, "m6g", 4, "c5", 2, "c6i", 2, "r5", 8, "r6i", 8);
    Map<String, Integer> sizes = Map.of("large", 2, "xlarge", 4, "2xlarge", 8, "4xlarge", 16);
    families.forEach(
        (family, gib) ->
            sizes.forEach(
                (size, vcpus) -> add(family + "." + size, vcpus, (long) vcpus * gib * 1024)));
    add("m6i.8xlarge", 32, 128 * 1024);
    // Burstable: two vCPUs up to large.
    add("t3.small", 2, 2 * 1024);
    add("t3.medium", 2, 4 * 1024);
    add("t3.large", 2, 8 * 1024);
    add("t3.xlarge", 4, 16 * 1024);
    add("t3.2xlarge", 8, 32 * 1024);
    // Accelerated: outside the Standard on-demand quota (G and VT have their own).
    add("g4dn.xlarge", 4, 16 * 1024);
    add("g5.xlarge", 4, 16 * 1024);
  }

  private InstanceTypes() {}

  private static void add(String name, int vcpus, long memoryMib) {
    TYPES.put(name, new InstanceType(name, vcpus, memoryMib));
  }

  /** Every type, by name. */
  public static java.util.List<String> names() {
    return java.util.List.copyOf(TYPES.keySet());
  }

  public static Optional<InstanceType> find(String name) {
    return Optional.ofNullable(TYPES.get(name));
  }
}
