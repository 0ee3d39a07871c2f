package io.refarch.sandbox.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARM's answers below the SDK: api-versions checked as ARM checks them, bearer tokens required
 * (with ARM's challenge), expired tokens refused, the metadata document az cloud register reads,
 * the preflight reads of Compute.
 */
class AzureArmProtocolTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String SUB = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";

  @TempDir Path state;
  Sandbox sandbox;
  HttpClient http;

  @BeforeEach
  void start() throws Exception {
    sandbox =
        Sandbox.start(
            SandboxOptions.defaults(state)
                .withAzureTokenLifetime(Duration.ofSeconds(2))
                .withAzureQuota("standardDv4Family", 64));
    http =
        HttpClient.newBuilder()
            .sslContext(AzureClients.trusting(sandbox.azureCertificateAuthority()))
            .build();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  String token() throws Exception {
    return AzureClients.credential(
            sandbox, AzureClients.httpClient(sandbox), Azure.SANDBOX_CLIENT_SECRET)
        .getTokenSync(
            new TokenRequestContext().addScopes("https://management.core.windows.net//.default"))
        .getToken();
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(sandbox.endpoints().azure() + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode error(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body()).path("error");
  }

  @Test
  void armRefusesMissingUnknownAndExpiredTokensWithItsChallenge() throws Exception {
    HttpResponse<String> none =
        get("/subscriptions/" + SUB + "/resourcegroups?api-version=2025-04-01", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(error(none).path("code").asText()).isEqualTo("AuthenticationFailed");
    assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow())
        .isEqualTo(
            "Bearer authorization_uri=\""
                + sandbox.endpoints().azure()
                + "/"
                + Azure.SANDBOX_TENANT_ID
                + "\", error=\"invalid_token\", error_description=\"The authentication failed"
                + " because of missing 'Authorization' header.\"");
    HttpResponse<String> unknown =
        get("/subscriptions/" + SUB + "/resourcegroups?api-version=2025-04-01", "made-up");
    assertThat(error(unknown).path("code").asText()).isEqualTo("InvalidAuthenticationToken");

    String token = token();
    assertThat(
            get("/subscriptions/" + SUB + "/resourcegroups?api-version=2025-04-01", token)
                .statusCode())
        .isEqualTo(200);
    Thread.sleep(2100);
    HttpResponse<String> expired =
        get("/subscriptions/" + SUB + "/resourcegroups?api-version=2025-04-01", token);
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(error(expired).path("code").asText()).isEqualTo("ExpiredAuthenticationToken");
  }

  @Test
  void apiVersionsAreCheckedAsArmChecksThem() throws Exception {
    String token = token();
    HttpResponse<String> missing = get("/subscriptions/" + SUB + "/resourcegroups/rg", token);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(error(missing).path("code").asText()).isEqualTo("MissingApiVersionParameter");
    HttpResponse<String> group =
        get("/subscriptions/" + SUB + "/resourcegroups/rg?api-version=2099-01-01", token);
    assertThat(error(group).path("code").asText()).isEqualTo("InvalidApiVersionParameter");
    assertThat(error(group).path("message").asText()).contains("2025-04-01");
    HttpResponse<String> aks =
        get(
            "/subscriptions/"
                + SUB
                + "/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c"
                + "?api-version=2099-01-01",
            token);
    assertThat(aks.statusCode()).isEqualTo(400);
    assertThat(error(aks).path("code").asText()).isEqualTo("NoRegisteredProviderFound");
    HttpResponse<String> notFound =
        get("/subscriptions/" + SUB + "/resourceGroups/rg?api-version=2024-11-01", token);
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(error(notFound).path("code").asText()).isEqualTo("ResourceGroupNotFound");
  }

  @Test
  void tagNamesWithCharactersArmReservesAreRefused() throws Exception {
    String token = token();
    HttpResponse<String> slash =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        sandbox.endpoints().azure()
                            + "/subscriptions/"
                            + SUB
                            + "/resourcegroups/rg?api-version=2025-04-01"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"location\":\"westeurope\",\"tags\":{\"refarch.io/cluster\":\"gitpod\"}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(slash.statusCode()).isEqualTo(400);
    assertThat(error(slash).path("code").asText()).isEqualTo("InvalidTagNameCharacters");
    assertThat(sandbox.inventory()).isEmpty();
  }

  @Test
  void theMetadataDocumentNamesTheSandboxAsLoginAndResourceManager() throws Exception {
    HttpResponse<String> doc = get("//metadata/endpoints?api-version=2022-09-01", null);
    assertThat(doc.statusCode()).isEqualTo(200);
    JsonNode metadata = JSON.readTree(doc.body());
    assertThat(metadata.path("authentication").path("loginEndpoint").asText())
        .isEqualTo(sandbox.endpoints().azure() + "/");
    assertThat(metadata.path("resourceManager").asText())
        .isEqualTo(sandbox.endpoints().azure() + "/");
    assertThat(metadata.path("authentication").path("audiences").path(0).asText())
        .isEqualTo("https://management.core.windows.net/");
    assertThat(metadata.path("suffixes").isObject()).isTrue();
  }

  @Test
  void preflightReadsVersionsUsagesAndSkus() throws Exception {
    String token = token();
    JsonNode versions =
        JSON.readTree(
            get(
                    "/subscriptions/"
                        + SUB
                        + "/providers/Microsoft.ContainerService/locations/westeurope/kubernetesVersions?api-version=2025-09-01",
                    token)
                .body());
    assertThat(versions.path("values").findValuesAsText("version")).contains("1.32", "1.33");
    JsonNode usages =
        JSON.readTree(
            get(
                    "/subscriptions/"
                        + SUB
                        + "/providers/Microsoft.Compute/locations/westeurope/usages?api-version=2024-07-01",
                    token)
                .body());
    JsonNode dv4 = null;
    for (JsonNode u : usages.path("value")) {
      if (u.path("name").path("value").asText().equals("standardDv4Family")) {
        dv4 = u;
      }
    }
    assertThat(dv4).isNotNull();
    assertThat(dv4.path("limit").asLong()).isEqualTo(64);
    assertThat(dv4.path("currentValue").asLong()).isZero();
    JsonNode skus =
        JSON.readTree(
            get(
                    "/subscriptions/"
                        + SUB
                        + "/providers/Microsoft.Compute/skus?api-version=2021-07-01&$filter=location%20eq%20'westeurope'",
                    token)
                .body());
    assertThat(skus.path("value").findValuesAsText("name"))
        .contains("Standard_D4_v4", "Standard_D16_v4", "Standard_D8s_v5");
  }
}
