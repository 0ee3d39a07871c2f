package io.refarch.activities.gke.kubeconfig;

import io.refarch.activities.Failures;
import io.refarch.workflow.FailureTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
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
      Path temp = dir.resolve("." + target.getFileName() + ".tmp");
      Files.deleteIfExists(temp);
      Files.createFile(
          temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      try {
        Files.move(
            temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write kubeconfig " + target + ": " + e.getMessage(), e);
    }
  }

  public void delete(Path target) {
    try {
      Files.deleteIfExists(target);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot delete kubeconfig " + target + ": " + e.getMessage(), e);
    }
  }

  private void createDir() throws IOException {
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
