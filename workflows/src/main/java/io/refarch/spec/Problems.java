package io.refarch.spec;

import java.util.ArrayList;
import java.util.List;

/** The problems found in one spec, in the order of its fields, each starting with its path. */
final class Problems {
  private final List<String> list = new ArrayList<>();

  void add(String path, String message) {
    list.add(path + ": " + message);
  }

  /**
   * For comparisons, which read better without the colon: {@code a.minNodes (5) > maxNodes (4)}.
   */
  void compare(String message) {
    list.add(message);
  }

  boolean required(String path, Object value) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      add(path, "required");
      return false;
    }
    return true;
  }

  /** Checks a set value against a pattern; null is left to {@link #required}. */
  void matches(String path, String value, String regex, String rule) {
    if (value != null && !value.matches(regex)) {
      add(path, rule);
    }
  }

  void oneOf(String path, String value, List<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      add(path, "must be one of " + String.join(", ", allowed));
    }
  }

  void between(String path, Integer value, int min, int max, String where) {
    if (value != null && (value < min || value > max)) {
      compare(path + " (" + value + ") must be between " + min + " and " + max + " " + where);
    }
  }

  List<String> list() {
    return List.copyOf(list);
  }
}
