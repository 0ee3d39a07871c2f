package io.refarch.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The presets in the repository's examples/ folder, and edits of them: each validation test starts
 * from a preset that passes and changes one field, so it proves that one rule.
 */
final class PresetFiles {
  private static final Pattern SEGMENT =
      Pattern.compile("([A-Za-z0-9_]+)|\\[(\\d+)]|\\[\"([^\"]+)\"]");

  private PresetFiles() {}

  /** examples/NAME, found from the module directory Maven runs the tests in. */
  static Path path(String name) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("examples").resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "examples/" + name + " not found above " + Path.of("").toAbsolutePath());
  }

  static String text(String name) {
    try {
      return Files.readString(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A preset with edits applied; a null value removes the key. */
  static final class Edit {
    private final Map<String, Object> tree;

    private Edit(Map<String, Object> tree) {
      this.tree = tree;
    }

    static Edit of(String preset) {
      return new Edit(new Yaml().load(text(preset)));
    }

    @SuppressWarnings("unchecked")
    Edit set(String path, Object value) {
      List<Object> keys = new ArrayList<>();
      Matcher m = SEGMENT.matcher(path);
      while (m.find()) {
        keys.add(
            m.group(1) != null
                ? m.group(1)
                : m.group(2) != null ? (Object) Integer.valueOf(m.group(2)) : m.group(3));
      }
      Object node = tree;
      for (int i = 0; i < keys.size() - 1; i++) {
        Object key = keys.get(i);
        Object next =
            key instanceof Integer idx
                ? ((List<Object>) node).get(idx)
                : ((Map<String, Object>) node).get(key);
        if (next == null) {
          next = new LinkedHashMap<String, Object>();
          ((Map<String, Object>) node).put((String) key, next);
        }
        node = next;
      }
      Object last = keys.get(keys.size() - 1);
      if (last instanceof Integer idx) {
        ((List<Object>) node).set(idx, value);
      } else if (value == null) {
        ((Map<String, Object>) node).remove(last);
      } else {
        ((Map<String, Object>) node).put((String) last, value);
      }
      return this;
    }

    String yaml() {
      return new Yaml().dump(tree);
    }

    /** What Specs.load does, on the edited text: parse, defaults, validate. */
    List<String> problems() throws SpecException {
      return SpecValidator.validate(SpecDefaults.apply(SpecLoader.parse(yaml())));
    }
  }
}
