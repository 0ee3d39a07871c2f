package io.refarch.activities.kubernetes.nodes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The leading dotted numbers of a version string ("v1.22.12-gke.1200", "5.15.0-1022-gke+"). */
record Version(List<Integer> parts) implements Comparable<Version> {
  private static final Pattern LEADING = Pattern.compile("^v?(\\d+(?:\\.\\d+)*)");

  static Optional<Version> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    // Gitpod's installer trims a trailing '+' from kernel versions before comparing.
    String trimmed = text.trim();
    while (trimmed.endsWith("+")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    Matcher m = LEADING.matcher(trimmed);
    if (!m.find()) {
      return Optional.empty();
    }
    List<Integer> parts = new ArrayList<>();
    for (String p : m.group(1).split("\\.")) {
      parts.add(Integer.parseInt(p));
    }
    return Optional.of(new Version(parts));
  }

  static Version of(int... parts) {
    List<Integer> list = new ArrayList<>();
    for (int p : parts) {
      list.add(p);
    }
    return new Version(list);
  }

  @Override
  public int compareTo(Version other) {
    for (int i = 0; i < Math.max(parts.size(), other.parts.size()); i++) {
      int a = i < parts.size() ? parts.get(i) : 0;
      int b = i < other.parts.size() ? other.parts.get(i) : 0;
      if (a != b) {
        return Integer.compare(a, b);
      }
    }
    return 0;
  }

  @Override
  public String toString() {
    return String.join(".", parts.stream().map(String::valueOf).toList());
  }
}
