package io.refarch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refarch.cli.local.LocalTemporal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which {@code temporal} CLI refarch's local server comes from. The server and its worker
 * themselves run in the integration stage, where the real CLI is installed (LocalServerTest).
 */
class LocalTemporalTest {
  @TempDir Path dir;

  @Test
  void theCliIsFoundOnThePathAfterDirectoriesWithoutOne() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path temporal = executable(bin.resolve("temporal"));

    assertThat(LocalTemporal.findCli(Map.of("PATH", empty + ":" + bin))).contains(temporal);
    assertThat(LocalTemporal.findCli(Map.of("PATH", empty.toString()))).isEmpty();
  }

  @Test
  void theVariableNamesTheCliOrTurnsTheLocalServerOff() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    executable(bin.resolve("temporal"));
    Path named = executable(dir.resolve("my-temporal"));

    assertThat(
            LocalTemporal.findCli(
                Map.of("PATH", bin.toString(), "REFARCH_TEMPORAL_CLI", named.toString())))
        .contains(named);
    assertThat(
            LocalTemporal.findCli(Map.of("PATH", bin.toString(), "REFARCH_TEMPORAL_CLI", "none")))
        .isEmpty();
    Path notExecutable = Files.writeString(dir.resolve("plain"), "");
    assertThatThrownBy(
            () -> LocalTemporal.findCli(Map.of("REFARCH_TEMPORAL_CLI", notExecutable.toString())))
        .hasMessageContaining("REFARCH_TEMPORAL_CLI=" + notExecutable)
        .hasMessageContaining("none for in-memory runs");
  }

  @Test
  void aDirectoryWithoutADatabaseHasNoServerToFind() {
    LocalTemporal server = new LocalTemporal(dir.resolve("temporal"), dir.resolve("temporal-cli"));
    assertThat(server.exists()).isFalse();
    assertThat(server.running()).isEmpty();
  }

  private static Path executable(Path file) throws Exception {
    Files.writeString(file, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
