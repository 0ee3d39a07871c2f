package io.refarch.spec;

import java.util.List;

/** Every rule a spec must pass before anything runs, each problem with its field path. */
public final class SpecValidator {
  private SpecValidator() {}

  public static List<String> validate(ClusterSpec spec) {
    throw new UnsupportedOperationException("TODO");
  }
}
