package io.refarch.cli.local;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The small key=value files the local server and worker leave for the next command. */
final class Properties {
  private Properties() {}

  static Optional<Map<String, String>> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    java.util.Properties p = new java.util.Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      return Optional.empty();
    }
    Map<String, String> m = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return Optional.of(m);
  }

  /** Written whole and moved into place, so a reader never sees half a file. */
  static void write(Path file, Map<String, String> values) {
    java.util.Properties p = new java.util.Properties();
    p.putAll(values);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(w, "written by refarch");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
