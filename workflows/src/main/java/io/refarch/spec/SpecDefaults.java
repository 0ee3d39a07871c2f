package io.refarch.spec;

/** Fills, in one place, what the seeds fix and users leave out. */
public final class SpecDefaults {
  private SpecDefaults() {}

  public static ClusterSpec apply(ClusterSpec spec) {
    throw new UnsupportedOperationException("TODO");
  }
}
