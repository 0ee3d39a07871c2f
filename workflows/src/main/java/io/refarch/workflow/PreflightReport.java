package io.refarch.workflow;

import java.util.List;

/**
 * What a preflight found, check by check, before anything is created: each check names what it
 * looked at and, when it failed, what to fix. Holds no secret (a principal is named, never a
 * credential).
 */
public record PreflightReport(List<Check> checks) {

  /**
   * One check.
   *
   * @param name what is checked, e.g. "APIs enabled"
   * @param ok whether the run can go ahead as far as this check tells
   * @param message what was found; for a failed check, what to fix
   */
  public record Check(String name, boolean ok, String message) {}

  public PreflightReport {
    checks = checks == null ? List.of() : List.copyOf(checks);
  }

  public boolean ok() {
    return checks.stream().allMatch(Check::ok);
  }

  public List<Check> failed() {
    return checks.stream().filter(c -> !c.ok()).toList();
  }

  /** The failed checks on one line each: the message of a {@code PreflightFailed} failure. */
  public String summary() {
    List<Check> failed = failed();
    if (failed.isEmpty()) {
      return "preflight: all " + checks.size() + " checks passed";
    }
    StringBuilder s =
        new StringBuilder(
            "preflight: " + failed.size() + " of " + checks.size() + " checks failed");
    failed.forEach(c -> s.append("; ").append(c.name()).append(": ").append(c.message()));
    return s.toString();
  }
}
