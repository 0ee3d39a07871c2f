package io.refarch.sandbox.gcp.compute;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vCPUs of a Compute Engine machine type, read from its name as Compute Engine names them
 * ({@code FAMILY-TYPE-VCPUS}, {@code FAMILY-custom-VCPUS-MB}; the shared-core e2 types count 2).
 * The sandbox has no machineTypes API; refarch's preflight reads names the same way.
 */
final class MachineTypes {

  private static final Pattern SIZED =
      Pattern.compile("([a-z][a-z0-9]*)-(?:[a-z]+-)?(?:custom-)?([0-9]+)(?:-[0-9]+)?(?:-lssd)?");

  private MachineTypes() {}

  static Optional<Integer> vcpus(String machineType) {
    switch (machineType) {
      case "e2-micro", "e2-small", "e2-medium" -> {
        return Optional.of(2);
      }
      case "f1-micro", "g1-small" -> {
        return Optional.of(1);
      }
      default -> {}
    }
    Matcher m = SIZED.matcher(machineType);
    return m.matches() ? Optional.of(Integer.parseInt(m.group(2))) : Optional.empty();
  }

  /** "n2d-standard-4" → "N2D". */
  static String family(String machineType) {
    int dash = machineType.indexOf('-');
    return (dash < 0 ? machineType : machineType.substring(0, dash)).toUpperCase();
  }
}
