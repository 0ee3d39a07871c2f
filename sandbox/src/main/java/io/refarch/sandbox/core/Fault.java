package io.refarch.sandbox.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error the sandbox answers instead of doing the work, to test how clients cope with a cloud's
 * failures. Which operations and codes exist is each cloud's {@link FaultCatalog}; this is only the
 * shape.
 *
 * @param operation API method name, e.g. createNodePool; the cloud's catalog lists them
 * @param resource short name of the target (the catalog says which); null matches any
 * @param code the cloud's error code, e.g. RESOURCE_EXHAUSTED
 * @param times how often it fires before the call succeeds again; 0 = always
 */
public record Fault(String operation, String resource, String code, int times) {

  private static final Pattern SYNTAX =
      Pattern.compile("([^:=]*)(?::([^=]*))?=([A-Za-z_]*?)(?:x(\\d+))?");

  public Fault {
    if (resource != null && resource.isBlank()) {
      throw new IllegalArgumentException("empty resource in fault for " + operation);
    }
    if (times < 0) {
      throw new IllegalArgumentException(
          "times must be >= 0 in fault for " + operation + ", got " + times);
    }
  }

  /**
   * Parses {@code operation[:resource]=CODE[xN]}, e.g. {@code
   * createNodePool:workload-headless-workspaces=RESOURCE_EXHAUSTED} or {@code
   * getOperation=UNAVAILABLEx3}, and checks operation and code against {@code catalog}.
   */
  public static Fault parse(String text, FaultCatalog catalog) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty fault; expected operation[:resource]=CODE[xN]");
    }
    Matcher m = SYNTAX.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "fault '"
              + text
              + "' does not read operation[:resource]=CODE[xN],"
              + " e.g. createNodePool:workload-services=RESOURCE_EXHAUSTEDx2");
    }
    int times = 0;
    if (m.group(4) != null) {
      try {
        times = Integer.parseInt(m.group(4));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "count 'x" + m.group(4) + "' in fault '" + text + "' is too large");
      }
      if (times == 0) {
        throw new IllegalArgumentException(
            "count 'x0' in fault '" + text + "': leave the count out for always");
      }
    }
    Fault fault = new Fault(m.group(1), m.group(2), m.group(3), times);
    catalog.check(fault);
    return fault;
  }

  @Override
  public String toString() {
    return operation
        + (resource == null ? "" : ":" + resource)
        + "="
        + code
        + (times == 0 ? "" : "x" + times);
  }
}
