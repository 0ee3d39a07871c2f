package io.refarch.activities.gke.preflight;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What quota a Compute Engine machine type draws on, read from its name as Compute Engine names its
 * types: {@code FAMILY-TYPE-VCPUS} ({@code n2d-standard-16}: 16 vCPUs of family N2D), {@code
 * FAMILY-custom-VCPUS-MB}; the shared-core e2-micro/small/medium count 2. Reading the name spares a
 * machineTypes.get per pool; a name of another form is reported as not counted.
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

  /** The family's regional quota metric: n2d-standard-4 → N2D_CPUS. */
  static String familyMetric(String machineType) {
    int dash = machineType.indexOf('-');
    return (dash < 0 ? machineType : machineType.substring(0, dash)).toUpperCase() + "_CPUS";
  }
}
