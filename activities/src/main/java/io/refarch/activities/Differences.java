package io.refarch.activities;

import io.refarch.workflow.FailureTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fields in which an existing resource differs from the spec, phrased for the person who must
 * decide: "node pool workload-services exists with machineType n2d-standard-8, spec says
 * n2d-standard-4".
 */
public final class Differences {
  private final String resource;
  private final List<String> fields = new ArrayList<>();

  public Differences(String resource) {
    this.resource = resource;
  }

  public Differences compare(String field, Object actual, Object wanted) {
    if (!Objects.equals(actual, wanted)) {
      fields.add(field + " " + actual + ", spec says " + wanted);
    }
    return this;
  }

  public boolean isEmpty() {
    return fields.isEmpty();
  }

  public List<String> fields() {
    return List.copyOf(fields);
  }

  /** Adopting a resource that differs would silently run a cluster other than the spec's. */
  public void failIfAny() {
    if (!fields.isEmpty()) {
      throw Failures.permanent(
          FailureTypes.SPEC_MISMATCH, resource + " exists with " + String.join("; ", fields));
    }
  }
}
