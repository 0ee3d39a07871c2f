package io.refarch.spec;

import java.util.List;

/** A spec that cannot be used; carries every problem found, each starting with its field path. */
public class SpecException extends Exception {
  private final List<String> problems;

  public SpecException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
