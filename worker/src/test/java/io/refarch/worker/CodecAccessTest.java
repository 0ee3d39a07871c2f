package io.refarch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodecAccessTest {
  @TempDir Path dir;

  static WorkerSettings.Codec settings(
      String token, String tokenFile, boolean allowUnauthenticated, String address) {
    return new WorkerSettings.Codec(
        "keys", null, null, token, tokenFile, allowUnauthenticated, 8082, address, false, null);
  }

  @Test
  void withEncryptionOnAndNoAuthenticationTheCodecIsNotServedAndTheReasonNamesTheSettings() {
    CodecAccess access = CodecAccess.of(true, settings(null, null, false, null));

    assertThat(access.served()).isFalse();
    assertThat(access.admits(null)).isFalse();
    assertThat(access.admits("Bearer anything")).isFalse();
    assertThat(access.reason())
        .contains("REFARCH_CODEC_TOKEN", "REFARCH_CODEC_TOKEN_FILE", "allow-unauthenticated");
    assertThat(access.details()).containsEntry("served", false).containsEntry("encryption", "on");
  }

  @Test
  void withEncryptionOffThereIsNothingToServe() {
    CodecAccess access = CodecAccess.of(false, settings("t", null, false, null));
    assertThat(access.served()).isFalse();
    assertThat(access.details()).containsEntry("encryption", "off");
  }

  @Test
  void acceptsEachOfSeveralTokensFromTheEnvironmentAndTheFileAndNothingElse() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# rotated 2026-11\nfile-old\n\n  file-new  \n");
    CodecAccess access = CodecAccess.of(true, settings("env-a, env-b", file.toString(), false, ""));

    assertThat(access.served()).isTrue();
    for (String token : new String[] {"env-a", "env-b", "file-old", "file-new"}) {
      assertThat(access.admits("Bearer " + token)).as(token).isTrue();
    }
    assertThat(access.admits("bearer file-new")).as("the scheme is case-insensitive").isTrue();
    assertThat(access.admits(null)).isFalse();
    assertThat(access.admits("")).isFalse();
    assertThat(access.admits("Bearer ")).isFalse();
    assertThat(access.admits("env-a")).as("without the scheme").isFalse();
    assertThat(access.admits("Basic env-a")).isFalse();
    assertThat(access.admits("Bearer env-a2")).isFalse();
    assertThat(access.admits("Bearer env")).isFalse();
    assertThat(access.admits("Bearer # rotated 2026-11")).as("a comment is no token").isFalse();
    assertThat(access.details()).containsEntry("authentication", "bearer tokens (4)");
    assertThat(access.details().toString() + access.reason())
        .doesNotContain("env-a", "env-b", "file-old", "file-new");
  }

  @Test
  void aTokenFileThatCannotBeReadOrHoldsNoTokenIsAMisconfigurationNamingTheSetting()
      throws Exception {
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> CodecAccess.of(true, settings(null, missing.toString(), false, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("REFARCH_CODEC_TOKEN_FILE")
        .hasMessageContaining(missing.toString());

    Path empty = dir.resolve("empty");
    Files.writeString(empty, "# nothing yet\n\n");
    assertThatThrownBy(() -> CodecAccess.of(true, settings(null, empty.toString(), false, null)))
        .hasMessageContaining("REFARCH_CODEC_TOKEN_FILE")
        .hasMessageContaining("holds no token");
  }

  @Test
  void servingWithoutAuthenticationIsAllowedOnlyExplicitlyAndOnALoopbackAddress() {
    assertThatThrownBy(() -> CodecAccess.of(true, settings(null, null, true, null)))
        .hasMessageContaining("REFARCH_CODEC_ALLOW_UNAUTHENTICATED")
        .hasMessageContaining("REFARCH_CODEC_ADDRESS")
        .hasMessageContaining("all interfaces");
    assertThatThrownBy(() -> CodecAccess.of(true, settings(null, null, true, "0.0.0.0")))
        .hasMessageContaining("REFARCH_CODEC_ADDRESS) is 0.0.0.0");
    assertThatThrownBy(() -> CodecAccess.of(true, settings("t", null, true, "127.0.0.1")))
        .hasMessageContaining("choose");

    CodecAccess loopback = CodecAccess.of(true, settings(null, null, true, "127.0.0.1"));
    assertThat(loopback.served()).isTrue();
    assertThat(loopback.admits(null)).isTrue();
    assertThat(CodecAccess.of(true, settings(null, null, true, "::1")).served()).isTrue();
  }

  @Test
  void requiringEncryptedInputWithoutAKeyIsAMisconfigurationNamingBothSettings() {
    WorkerSettings settings =
        new WorkerSettings(
            null,
            null,
            null,
            null,
            null,
            new WorkerSettings.Codec(null, null, null, null, null, false, null, null, true, null),
            null,
            null,
            null,
            false);
    assertThatThrownBy(() -> new PayloadCodecBeans().codecKeys(settings))
        .hasMessageContaining("REFARCH_CODEC_REQUIRE_ENCRYPTED_INPUT")
        .hasMessageContaining("REFARCH_CODEC_KEY_FILE");
  }

  static WorkerSettings.Codec withOidc(WorkerSettings.Oidc oidc) {
    return new WorkerSettings.Codec("keys", null, null, null, null, false, 8082, null, false, oidc);
  }

  @Test
  void anOidcIssuerWithoutAudienceOrAllowedUsersIsAMisconfigurationNamingTheSetting() {
    assertThatThrownBy(
            () ->
                CodecAccess.of(
                    true,
                    withOidc(
                        new WorkerSettings.Oidc(
                            "https://id.example.com", "", null, "email", "a@example.com"))))
        .hasMessageContaining("REFARCH_CODEC_OIDC_AUDIENCE");
    assertThatThrownBy(
            () ->
                CodecAccess.of(
                    true,
                    withOidc(
                        new WorkerSettings.Oidc(
                            "https://id.example.com", "refarch", null, "groups", " , "))))
        .hasMessageContaining("REFARCH_CODEC_OIDC_ALLOWED")
        .hasMessageContaining("'groups'");

    CodecAccess oidc =
        CodecAccess.of(
            true,
            withOidc(
                new WorkerSettings.Oidc(
                    "https://id.example.com", "refarch", null, "groups", "platform-team")));
    assertThat(oidc.served()).isTrue();
    assertThat(oidc.admits("Bearer not-a-jwt")).isFalse();
    assertThat(oidc.details()).containsEntry("authentication", "OIDC access tokens");
  }
}
