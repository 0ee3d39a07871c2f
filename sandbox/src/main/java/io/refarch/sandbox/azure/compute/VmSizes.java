package io.refarch.sandbox.azure.compute;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The VM sizes the sandbox's regions offer, with their vCPU family (the quota they count against)
 * and size, as Compute's Resource SKUs list them. Every size is offered in every region and zone,
 * without restrictions. The reference architecture's sizes (Standard_D4_v4 services,
 * Standard_D16_v4 workspaces) and the common AKS defaults are here.
 */
public final class VmSizes {

  private VmSizes() {}

  /** A VM size: its quota family, vCPUs, memory. */
  public record VmSize(String name, String family, int vcpus, int memoryGb) {}

  public static final Map<String, VmSize> ALL = new LinkedHashMap<>();

  static {
    add("Standard_B2s", "standardBSFamily", 2, 4);
    add("Standard_B4ms", "standardBSFamily", 4, 16);
    add("Standard_DS2_v2", "standardDSv2Family", 2, 7);
    add("Standard_DS3_v2", "standardDSv2Family", 4, 14);
    add("Standard_D2s_v3", "standardDSv3Family", 2, 8);
    add("Standard_D4s_v3", "standardDSv3Family", 4, 16);
    add("Standard_D8s_v3", "standardDSv3Family", 8, 32);
    add("Standard_D2_v4", "standardDv4Family", 2, 8);
    add("Standard_D4_v4", "standardDv4Family", 4, 16);
    add("Standard_D8_v4", "standardDv4Family", 8, 32);
    add("Standard_D16_v4", "standardDv4Family", 16, 64);
    add("Standard_D32_v4", "standardDv4Family", 32, 128);
    add("Standard_D4s_v4", "standardDSv4Family", 4, 16);
    add("Standard_D16s_v4", "standardDSv4Family", 16, 64);
    add("Standard_D2s_v5", "standardDSv5Family", 2, 8);
    add("Standard_D4s_v5", "standardDSv5Family", 4, 16);
    add("Standard_D8s_v5", "standardDSv5Family", 8, 32);
    add("Standard_D16s_v5", "standardDSv5Family", 16, 64);
    add("Standard_D2ds_v5", "standardDDSv5Family", 2, 8);
    add("Standard_D4ds_v5", "standardDDSv5Family", 4, 16);
    add("Standard_D8ds_v5", "standardDDSv5Family", 8, 32);
    add("Standard_D16ds_v5", "standardDDSv5Family", 16, 64);
  }

  private static void add(String name, String family, int vcpus, int memoryGb) {
    ALL.put(name.toLowerCase(), new VmSize(name, family, vcpus, memoryGb));
  }

  /** The size named (case-insensitively, as ARM compares them). */
  public static Optional<VmSize> of(String name) {
    return Optional.ofNullable(name == null ? null : ALL.get(name.toLowerCase()));
  }

  /** "Standard Dv4 Family vCPUs" for standardDv4Family, as usages name them. */
  public static String familyDisplayName(String family) {
    String core = family.replaceFirst("^standard", "").replaceFirst("Family$", "");
    return "Standard " + core + " Family vCPUs";
  }

  /** Every family, in the order the sizes list them. */
  public static Map<String, String> families() {
    Map<String, String> families = new LinkedHashMap<>();
    ALL.values().forEach(s -> families.put(s.family(), familyDisplayName(s.family())));
    return families;
  }
}
