package io.refarch.activities.gke.kubeconfig;

import io.refarch.activities.ConfigurationErrors;
import io.refarch.activities.Failures;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Kubeconfig files on the worker: one regular 0600 file per cluster (never a directory, which
 * kubectl cannot read), written whole or not at all.
 */
public final class KubeconfigFiles {
  private final Path dir;

  public KubeconfigFiles(Path dir) {
    this.dir = dir;
  }

  /** {@code gke_<project>_<location>_<cluster>.yaml}, the context name gcloud would use. */
  public Path path(String cloudPrefix, String owner, String location, String cluster) {
    String name =
        String.join("_", cloudPrefix, owner, location, cluster).replaceAll("[^A-Za-z0-9._-]", "-");
    return dir.resolve(name + ".yaml");
  }

  public Path write(Path target, String content) {
    try {
      createDir();
      if (Files.isDirectory(target)) {
        throw Failures.permanent(
            FailureTypes.INVALID_ARGUMENT,
            target + " is a directory; remove it so the kubeconfig file can be written");
      }
      writePrivate(target, content);
      return target;
    } catch (IOException e) {
      throw failure("writing kubeconfig " + target, e);
    }
  }

  /**
   * Writes {@code content} to {@code target} whole or not at all (a temporary file beside it, then
   * a move), readable by its owner only from the start: a kubeconfig opens the cluster.
   */
  public static void writePrivate(Path target, String content) throws IOException {
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(
        temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    try {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  public void delete(Path target) {
    try {
      Files.deleteIfExists(target);
    } catch (IOException e) {
      throw failure("deleting kubeconfig " + target, e);
    }
  }

  /**
   * A directory the worker may not write (permissions, a read-only file system, a file where the
   * directory should be) is the worker's setup: it fails at once and says what to change. Other I/O
   * errors (a full disk) may pass and are retried.
   */
  ApplicationFailure failure(String doing, IOException e) {
    String reason = e instanceof FileSystemException fs ? fs.getReason() : null;
    boolean setup =
        e instanceof AccessDeniedException
            || e instanceof NotDirectoryException
            || (reason != null
                && (reason.contains("Read-only file system")
                    || reason.contains("Not a directory")
                    || reason.contains("Permission denied")
                    || reason.contains("Operation not permitted")));
    String what = ConfigurationErrors.redact(e.getClass().getSimpleName() + ": " + e.getMessage());
    if (setup) {
      return Failures.permanent(
          FailureTypes.CONFIGURATION,
          doing
              + " failed: the worker cannot write to the kubeconfig directory "
              + dir
              + " ("
              + what
              + "). Fix: make "
              + dir
              + " a directory that the worker's user ("
              + System.getProperty("user.name")
              + ") can write (a standalone worker can be given another one with"
              + " REFARCH_KUBECONFIG_DIR); then run again.");
    }
    return Failures.retryable(Failures.TRANSIENT, doing + " failed: " + what);
  }

  private void createDir() throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new NotDirectoryException(dir + " is a file");
    }
    if (!Files.isDirectory(dir)) {
      try {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        // created concurrently by another activity
      }
    }
  }

  /**
   * A kubeconfig with one cluster, one user (a bearer token) and one context, all named {@code
   * name}.
   */
  public static String render(String name, String server, String caBase64, String token) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
            certificate-authority-data: %3$s
        users:
        - name: %1$s
          user:
            token: %4$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
        current-context: %1$s
        """
        .formatted(quote(name), quote(server), quote(caBase64), quote(token));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
