package io.refarch.cli.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.refarch.workflow.Progress;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finished runs of the in-process Temporal, kept as their full workflow history JSON under {@code
 * .refarch/runs/<workflow id, sanitized>/<run id>.json}: the server dies with the process, the
 * history is what stays. The workflow id itself is kept beside them in {@code workflow-id} (history
 * JSON does not carry it).
 */
public final class RunArchive {
  private static final String ID_FILE = "workflow-id";
  private static final String PROGRESS = ".progress.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  public RunArchive(Path dir) {
    this.dir = dir;
  }

  public record ArchivedRun(String workflowId, String runId, Path file) {
    public WorkflowExecutionHistory history() {
      try {
        return WorkflowExecutionHistory.fromJson(Files.readString(file), workflowId);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
  }

  public static String sanitize(String workflowId) {
    return workflowId.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  public Path runDir(String workflowId) {
    return dir.resolve(sanitize(workflowId));
  }

  public Path save(String workflowId, String runId, WorkflowExecutionHistory history)
      throws IOException {
    Path runDir = runDir(workflowId);
    Files.createDirectories(runDir);
    Files.writeString(runDir.resolve(ID_FILE), workflowId + "\n", StandardCharsets.UTF_8);
    Path file = runDir.resolve(runId + ".json");
    Files.writeString(file, history.toJson(true), StandardCharsets.UTF_8);
    return file;
  }

  /** The run's last {@code progress} answer, for {@code refarch status} once the server is gone. */
  public void saveProgress(String workflowId, String runId, Progress progress) throws IOException {
    Files.writeString(
        runDir(workflowId).resolve(runId + PROGRESS),
        JSON.writeValueAsString(progress),
        StandardCharsets.UTF_8);
  }

  public Optional<Progress> progress(ArchivedRun run) throws IOException {
    Path file = run.file().resolveSibling(run.runId() + PROGRESS);
    return Files.exists(file)
        ? Optional.of(JSON.readValue(file.toFile(), Progress.class))
        : Optional.empty();
  }

  /** Every archived run, oldest first. */
  public List<ArchivedRun> all() throws IOException {
    List<ArchivedRun> runs = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return runs;
    }
    try (Stream<Path> dirs = Files.list(dir)) {
      for (Path runDir : dirs.filter(Files::isDirectory).toList()) {
        runs.addAll(runsIn(runDir));
      }
    }
    runs.sort(Comparator.comparing(r -> modified(r.file())));
    return runs;
  }

  /** The run {@code runId} of {@code workflowId}, or its latest run when runId is null. */
  public Optional<ArchivedRun> find(String workflowId, String runId) throws IOException {
    Path runDir = runDir(workflowId);
    if (!Files.isDirectory(runDir)) {
      return Optional.empty();
    }
    return runsIn(runDir).stream()
        .filter(r -> runId == null || r.runId().equals(runId))
        .max(Comparator.comparing(r -> modified(r.file())));
  }

  private static List<ArchivedRun> runsIn(Path runDir) throws IOException {
    Path idFile = runDir.resolve(ID_FILE);
    if (!Files.exists(idFile)) {
      return List.of();
    }
    String workflowId = Files.readString(idFile).strip();
    try (Stream<Path> files = Files.list(runDir)) {
      return files
          .filter(
              f ->
                  f.getFileName().toString().endsWith(".json")
                      && !f.getFileName().toString().endsWith(PROGRESS))
          .map(
              f ->
                  new ArchivedRun(
                      workflowId, f.getFileName().toString().replaceFirst("\\.json$", ""), f))
          .toList();
    }
  }

  private static java.nio.file.attribute.FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }
}
