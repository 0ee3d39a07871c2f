package io.refarch.spec;

/**
 * How a cloud lets one kind of thing be named: the characters (a pattern) and the length. The
 * length stays out of the pattern so that the number a problem states is the number that is
 * checked.
 */
record NameRule(String pattern, int minLength, int maxLength, String rule) {

  /** Up to {@code max} characters: "must be at most 63 letters, digits or hyphens ...". */
  static NameRule atMost(int max, String pattern, String characters) {
    return new NameRule(pattern, 1, max, "must be at most " + max + " " + characters);
  }

  /** {@code min} to {@code max} characters: "must be 6 to 30 lowercase letters ...". */
  static NameRule between(int min, int max, String pattern, String characters) {
    return new NameRule(pattern, min, max, "must be " + min + " to " + max + " " + characters);
  }

  /** Checks a set value; null is left to {@link Problems#required}. */
  void check(String path, String value, Problems p) {
    if (value != null
        && (value.length() < minLength || value.length() > maxLength || !value.matches(pattern))) {
      p.add(path, rule);
    }
  }
}
