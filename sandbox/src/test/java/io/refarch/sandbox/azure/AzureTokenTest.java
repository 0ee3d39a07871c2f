package io.refarch.sandbox.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entra as azure-identity's ClientSecretCredential meets it, over HTTPS with the sandbox's CA. */
class AzureTokenTest {

  @TempDir Path state;
  Sandbox sandbox;

  @BeforeEach
  void start() throws Exception {
    sandbox = Sandbox.start(SandboxOptions.defaults(state));
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  @Test
  void theSandboxPrincipalGetsAToken() throws Exception {
    HttpClient http = AzureClients.httpClient(sandbox);
    AccessToken token =
        AzureClients.credential(sandbox, http, Azure.SANDBOX_CLIENT_SECRET)
            .getTokenSync(
                new TokenRequestContext()
                    .addScopes("https://management.core.windows.net//.default"));
    assertThat(token.getToken()).isNotBlank();
    assertThat(token.getExpiresAt()).isAfter(OffsetDateTime.now().plusMinutes(50));
    assertThat(sandbox.endpoints().azure()).startsWith("https://127.0.0.1:");
    assertThat(Files.readString(state.resolve("azure-ca.pem")))
        .isEqualTo(sandbox.azureCertificateAuthority());
    assertThat(sandbox.requests()).noneMatch(r -> r.body().contains(Azure.SANDBOX_CLIENT_SECRET));
  }

  @Test
  void aTokenFaultReachesTheCredential() throws Exception {
    sandbox.close();
    sandbox =
        Sandbox.start(
            SandboxOptions.defaults(state)
                // (MSAL retries a 5xx once by itself; a 400 reaches the caller.)
                .withFaults(List.of(Sandbox.parseFault("Token=BadRequestx1"))));
    HttpClient http = AzureClients.httpClient(sandbox);
    TokenCredential credential =
        AzureClients.credential(sandbox, http, Azure.SANDBOX_CLIENT_SECRET);
    TokenRequestContext arm =
        new TokenRequestContext().addScopes("https://management.core.windows.net//.default");
    assertThatThrownBy(() -> credential.getTokenSync(arm)).hasStackTraceContaining("AADSTS90000");
    assertThat(credential.getTokenSync(arm).getToken()).isNotBlank();
  }

  @Test
  void aWrongSecretIsRefusedAsEntraRefusesIt() throws Exception {
    HttpClient http = AzureClients.httpClient(sandbox);
    assertThatThrownBy(
            () ->
                AzureClients.credential(sandbox, http, "not-the-secret")
                    .getTokenSync(
                        new TokenRequestContext()
                            .addScopes("https://management.core.windows.net//.default")))
        .hasStackTraceContaining("AADSTS7000215");
  }
}
