package io.refarch.activities.gke.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.activities.Failures;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Which I/O errors on the kubeconfig directory are the worker's setup (fail at once, say what to
 * change) and which may pass (retried). The file-system cases a root test run cannot produce are
 * classified here from the exceptions the JDK throws for them.
 */
class KubeconfigFailuresTest {
  private final Path dir = Path.of("/var/lib/refarch/kubeconfig");
  private final KubeconfigFiles files = new KubeconfigFiles(dir);

  @Test
  void aDirectoryTheWorkerMayNotWriteIsAConfigurationError() {
    ApplicationFailure failure =
        files.failure(
            "writing kubeconfig " + dir.resolve("gke_p_r_c.yaml"),
            new AccessDeniedException(dir.resolve(".gke_p_r_c.yaml.tmp").toString()));

    assertThat(failure.getType()).isEqualTo(FailureTypes.CONFIGURATION);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("AccessDeniedException")
        .contains("make " + dir + " a directory that the worker's user")
        .contains("REFARCH_KUBECONFIG_DIR");
  }

  @Test
  void aReadOnlyFileSystemIsAConfigurationError() {
    ApplicationFailure failure =
        files.failure(
            "writing kubeconfig",
            new FileSystemException(dir.toString(), null, "Read-only file system"));

    assertThat(failure.getType()).isEqualTo(FailureTypes.CONFIGURATION);
  }

  @Test
  void aFullDiskIsRetried() {
    ApplicationFailure failure =
        files.failure(
            "writing kubeconfig",
            new FileSystemException(dir.toString(), null, "No space left on device"));

    assertThat(failure.getType()).isEqualTo(Failures.TRANSIENT);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("No space left on device");
  }

  @Test
  void anyOtherIoErrorIsRetried() {
    assertThat(
            files.failure("deleting kubeconfig", new IOException("Input/output error")).getType())
        .isEqualTo(Failures.TRANSIENT);
  }
}
