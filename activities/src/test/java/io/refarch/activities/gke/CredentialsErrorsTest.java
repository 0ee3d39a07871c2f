package io.refarch.activities.gke;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.activities.ConfigurationErrors;
import io.refarch.activities.Failed;
import io.refarch.activities.GcpConnection;
import io.refarch.activities.gke.kubeconfig.ApplicationDefaultTokens;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A worker without usable Google credentials fails at once, typed ConfigurationError, with the fix
 * in the message and nothing secret in it (it goes into the workflow history and the CLI's output).
 */
class CredentialsErrorsTest {
  /** google-auth-library's words when there is no ADC at all. */
  private static final String NO_ADC =
      "Your default credentials were not found. To set up Application Default Credentials for"
          + " your environment, see"
          + " https://cloud.google.com/docs/authentication/external/set-up-adc.";

  @Test
  void connectingWithoutApplicationDefaultCredentialsIsAConfigurationError() {
    ApplicationFailure failure =
        Failed.of(
            () ->
                GcpClients.connect(
                    GcpConnection.real(),
                    () -> {
                      throw new IOException(NO_ADC);
                    }));

    assertThat(failure.getType()).isEqualTo(FailureTypes.CONFIGURATION);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("connecting to Google Cloud failed: ")
        .contains("Your default credentials were not found")
        .contains("run `gcloud auth application-default login`")
        .contains("GOOGLE_APPLICATION_CREDENTIALS");
  }

  @Test
  void aKeyFileThatCannotBeReadIsAConfigurationErrorWithoutTheKey() {
    // What the library reports for a malformed key file can quote the file's content.
    String leaked =
        "Error reading credential file from environment variable GOOGLE_APPLICATION_CREDENTIALS,"
            + " value '/etc/refarch/key.json': {\"type\":\"service_account\",\"private_key\":"
            + "\"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ\\n"
            + "-----END PRIVATE KEY-----\\n\",\"client_secret\":\"d-FL95Q19q7MQmFpd7hHD0Ty\"}";

    ApplicationFailure failure =
        Failed.of(
            () ->
                GcpClients.connect(
                    GcpConnection.real(),
                    () -> {
                      throw new IOException(leaked);
                    }));

    assertThat(failure.getType()).isEqualTo(FailureTypes.CONFIGURATION);
    assertThat(failure.getOriginalMessage())
        .contains("/etc/refarch/key.json")
        .doesNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ")
        .doesNotContain("d-FL95Q19q7MQmFpd7hHD0Ty");
  }

  @Test
  void theKubeconfigTokenWithoutApplicationDefaultCredentialsIsAConfigurationError() {
    ApplicationDefaultTokens tokens =
        new ApplicationDefaultTokens(
            () -> {
              throw new IOException(NO_ADC);
            });

    ApplicationFailure failure = Failed.of(tokens::token);

    assertThat(failure.getType()).isEqualTo(FailureTypes.CONFIGURATION);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("Your default credentials were not found")
        .contains(ConfigurationErrors.CREDENTIALS_FIX);
  }

  @Test
  void aLoginGoogleNoLongerAcceptsIsAConfigurationErrorWithoutTheRefreshToken() {
    ApplicationDefaultTokens tokens = new ApplicationDefaultTokens(GoogleErrors::revokedLogin);

    ApplicationFailure failure = Failed.of(tokens::token);

    assertThat(failure.getType()).isEqualTo(FailureTypes.CONFIGURATION);
    assertThat(failure.getOriginalMessage())
        .contains("invalid_grant")
        .contains("gcloud auth application-default login")
        .doesNotContain(GoogleErrors.REFRESH_TOKEN)
        .doesNotContain(GoogleErrors.CLIENT_SECRET);
  }

  @Test
  void redactRemovesTokensKeysAndSecretFields() {
    String text =
        "Authorization: Bearer ya29.a0AfH6SMBx-secret-access-token refresh 1//0gSecretRefresh-x"
            + " {\"refresh_token\":\"abc\",\"client_secret\":\"shh\"} access_token=xyz&scope=a"
            + " -----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----"
            + " eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9"
            + " file /root/.config/gcloud/application_default_credentials.json";

    String redacted = ConfigurationErrors.redact(text);

    assertThat(redacted)
        .doesNotContain("ya29.")
        .doesNotContain("secret-access-token")
        .doesNotContain("0gSecretRefresh")
        .doesNotContain("abc")
        .doesNotContain("shh")
        .doesNotContain("xyz")
        .doesNotContain("MIIEvQ")
        .doesNotContain("eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9")
        .contains("/root/.config/gcloud/application_default_credentials.json")
        .contains("scope=a");
  }
}
