package io.refarch.activities.gke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.fabric8.kubernetes.client.Config;
import io.refarch.activities.Failed;
import io.refarch.activities.gke.kubeconfig.KubeconfigFiles;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubeconfig is a private file kubectl and fabric8 can read, never a directory. */
class KubeconfigFilesTest {
  @TempDir Path dir;

  @Test
  void writesAPrivateFileInAPrivateDirectoryThatFabric8Reads() throws Exception {
    KubeconfigFiles files = new KubeconfigFiles(dir.resolve("kube"));
    Path target = files.path("gke", "my-project", "us-central1", "gitpod");
    String ca = Base64.getEncoder().encodeToString("-----BEGIN CERTIFICATE-----\n".getBytes());

    files.write(
        target,
        KubeconfigFiles.render(
            "gke_my-project_us-central1_gitpod", "https://10.0.0.1", ca, "tok\"en"));

    assertThat(target.getFileName().toString()).isEqualTo("gke_my-project_us-central1_gitpod.yaml");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.getParent())))
        .isEqualTo("rwx------");
    Config config = Config.fromKubeconfig(Files.readString(target));
    assertThat(config.getMasterUrl()).startsWith("https://10.0.0.1");
    assertThat(config.getAutoOAuthToken()).isEqualTo("tok\"en");
    assertThat(config.getCaCertData()).isEqualTo(ca);
    assertThat(dir.resolve("kube"))
        .isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
  }

  @Test
  void aDirectoryInTheWayIsNamedNotReplaced() throws Exception {
    KubeconfigFiles files = new KubeconfigFiles(dir);
    Path target = files.path("gke", "p", "r", "c");
    Files.createDirectories(target);

    ApplicationFailure failure = Failed.of(() -> files.write(target, "x"));

    assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_ARGUMENT);
    assertThat(failure.getOriginalMessage()).contains(target.toString()).contains("is a directory");
  }

  @Test
  void aFileWhereTheDirectoryShouldBeIsAConfigurationError() throws Exception {
    Path notADir = Files.writeString(dir.resolve("kube"), "not a directory");
    KubeconfigFiles files = new KubeconfigFiles(notADir);

    ApplicationFailure failure =
        Failed.of(() -> files.write(files.path("gke", "p", "r", "c"), "token: secret"));

    assertThat(failure.getType()).isEqualTo(FailureTypes.CONFIGURATION);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains(notADir.toString())
        .contains("a directory that the worker's user")
        .doesNotContain("secret");
  }

  @Test
  void aFileWhereAParentDirectoryShouldBeIsAConfigurationError() throws Exception {
    Files.writeString(dir.resolve("home"), "not a directory");
    KubeconfigFiles files = new KubeconfigFiles(dir.resolve("home/.refarch/kubeconfig"));

    ApplicationFailure failure =
        Failed.of(() -> files.write(files.path("gke", "p", "r", "c"), "x"));

    assertThat(failure.getType()).isEqualTo(FailureTypes.CONFIGURATION);
  }

  @Test
  void aDirectoryTheWorkerCannotWriteIsAConfigurationError() throws Exception {
    assumeFalse(
        "root".equals(System.getProperty("user.name")), "root writes read-only directories");
    Path readOnly = Files.createDirectories(dir.resolve("ro"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-x------"));
    KubeconfigFiles files = new KubeconfigFiles(readOnly);

    ApplicationFailure failure =
        Failed.of(() -> files.write(files.path("gke", "p", "r", "c"), "x"));

    assertThat(failure.getType()).isEqualTo(FailureTypes.CONFIGURATION);
    assertThat(failure.getOriginalMessage()).contains("AccessDeniedException");
  }

  @Test
  void deletingAnAbsentFileIsFine() {
    KubeconfigFiles files = new KubeconfigFiles(dir);
    files.delete(files.path("gke", "p", "r", "c"));
  }
}
