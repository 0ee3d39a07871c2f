package io.refarch.spec;

import java.nio.file.Path;

/** Reads spec YAML; rejects unknown keys (with a did-you-mean) and wrong types, all at once. */
public final class SpecLoader {
  private SpecLoader() {}

  public static ClusterSpec read(Path file) throws SpecException {
    throw new UnsupportedOperationException("TODO");
  }

  public static ClusterSpec parse(String yaml) throws SpecException {
    throw new UnsupportedOperationException("TODO");
  }

  /** The spec as YAML (what {@code refarch plan} prints). */
  public static String toYaml(ClusterSpec spec) {
    throw new UnsupportedOperationException("TODO");
  }
}
