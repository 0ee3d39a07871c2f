package io.refarch.sandbox.azure.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.azure.core.ArmError;
import io.refarch.sandbox.azure.core.ArmServer;
import io.refarch.sandbox.azure.core.ArmServer.Request;
import io.refarch.sandbox.azure.core.ArmServer.Response;
import io.refarch.sandbox.core.EmulatedService;
import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.core.Query;
import io.refarch.sandbox.kube.ClusterCertificates;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Microsoft Entra as a confidential client meets it: instance discovery, the tenant's OpenID
 * configuration, the v2.0 (and v1) token endpoint for the client-credentials grant of the one
 * sandbox service principal, and ARM's metadata document that names this host as the cloud's login
 * endpoint (what {@code az cloud register} reads). Access tokens are opaque to clients: the expiry
 * and an HMAC under a key kept in the state, so tokens stay valid across a restart of the sandbox
 * (a worker's credential caches its token for its lifetime) and need no table. The key and the
 * endpoint's CA are kept in the state and survive {@link #clear()}: clients that trust the CA keep
 * trusting it.
 */
public final class Entra implements EmulatedService {

  private static final String TOKEN_PREFIX = "sandbox-arm.";

  private final String tenant;
  private final String clientId;
  private final String clientSecret;
  private final Clock clock;
  private final Duration lifetime;
  private final Faults faults;
  private byte[] key = random(32);
  private ClusterCertificates certificates = ClusterCertificates.generate();

  public Entra(
      String tenant,
      String clientId,
      String clientSecret,
      Clock clock,
      Duration lifetime,
      Faults faults) {
    this.tenant = tenant;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.clock = clock;
    this.lifetime = lifetime;
    this.faults = faults;
  }

  /** The CA and serving certificate of the HTTPS endpoint. */
  public synchronized ClusterCertificates certificates() {
    return certificates;
  }

  public void routes(ArmServer server) {
    server.open("GET", "/common/discovery/instance", (m, r) -> Response.ok(discovery(r)));
    server.open(
        "GET",
        "/([^/]+)(/v2\\.0)?/\\.well-known/openid-configuration",
        (m, r) -> Response.ok(openidConfiguration(r, m.group(1), m.group(2) != null)));
    server.open(
        "POST", "/([^/]+)/oauth2(/v2\\.0)?/token", (m, r) -> token(r, m.group(1), m.group(2)));
    server.open("GET", "/metadata/endpoints", (m, r) -> Response.ok(metadata(r)));
  }

  // ---- the endpoints ----

  private ObjectNode discovery(Request r) {
    String host = r.base().substring("https://".length());
    ObjectNode node = Json.object();
    node.put(
        "tenant_discovery_endpoint",
        r.base() + "/" + tenant + "/v2.0/.well-known/openid-configuration");
    node.put("api-version", "1.1");
    ObjectNode entry = node.putArray("metadata").addObject();
    entry.put("preferred_network", host).put("preferred_cache", host);
    entry.putArray("aliases").add(host);
    return node;
  }

  private ObjectNode openidConfiguration(Request r, String pathTenant, boolean v2) {
    checkTenant(pathTenant);
    String t = knownTenant(pathTenant) ? tenant : pathTenant;
    String base = r.base() + "/" + t;
    String suffix = v2 ? "/v2.0" : "";
    ObjectNode node = Json.object();
    node.put("token_endpoint", base + "/oauth2" + suffix + "/token");
    node.putArray("token_endpoint_auth_methods_supported")
        .add("client_secret_post")
        .add("private_key_jwt")
        .add("client_secret_basic");
    node.put("jwks_uri", base + "/discovery" + suffix + "/keys");
    node.putArray("response_modes_supported").add("query").add("fragment").add("form_post");
    node.putArray("subject_types_supported").add("pairwise");
    node.putArray("id_token_signing_alg_values_supported").add("RS256");
    node.putArray("response_types_supported")
        .add("code")
        .add("id_token")
        .add("code id_token")
        .add("id_token token");
    node.putArray("scopes_supported")
        .add("openid")
        .add("profile")
        .add("email")
        .add("offline_access");
    node.put("issuer", v2 ? base + "/v2.0" : "https://sts.windows.net/" + t + "/");
    node.put("request_uri_parameter_supported", false);
    node.put("userinfo_endpoint", r.base() + "/oidc/userinfo");
    node.put("authorization_endpoint", base + "/oauth2" + suffix + "/authorize");
    node.put("device_authorization_endpoint", base + "/oauth2" + suffix + "/devicecode");
    node.put("http_logout_supported", true);
    node.put("frontchannel_logout_supported", true);
    node.put("end_session_endpoint", base + "/oauth2" + suffix + "/logout");
    node.put("tenant_region_scope", "EU");
    node.put("cloud_instance_name", "sandbox");
    node.put("cloud_graph_host_name", "graph.windows.net");
    node.put("msgraph_host", "graph.microsoft.com");
    return node;
  }

  /**
   * ARM's metadata document (2022-09-01 shape): this host is login endpoint and resource manager.
   */
  private ObjectNode metadata(Request r) {
    String base = r.base() + "/";
    ObjectNode node = Json.object();
    node.put("portal", base);
    ObjectNode auth = node.putObject("authentication");
    auth.put("loginEndpoint", base);
    auth.putArray("audiences").add("https://management.core.windows.net/").add(base);
    auth.put("tenant", "common");
    auth.put("identityProvider", "AAD");
    node.put("media", "https://rest.media.azure.net");
    node.put("graphAudience", "https://graph.windows.net/");
    node.put("graph", "https://graph.windows.net/");
    node.put("name", "AzureSandbox");
    ObjectNode suffixes = node.putObject("suffixes");
    suffixes.put("acrLoginServer", "azurecr.io");
    suffixes.put("sqlServerHostname", "database.windows.net");
    suffixes.put("keyVaultDns", "vault.azure.net");
    suffixes.put("storage", "core.windows.net");
    suffixes.put("azureFrontDoorEndpointSuffix", "azurefd.net");
    suffixes.put("mhsmDns", "managedhsm.azure.net");
    node.put("batch", "https://batch.core.windows.net/");
    node.put("resourceManager", base);
    node.put("sqlManagement", "https://management.core.windows.net:8443/");
    node.put("microsoftGraphResourceId", "https://graph.microsoft.com/");
    node.put("appInsightsResourceId", "https://api.applicationinsights.io");
    node.put("logAnalyticsResourceId", "https://api.loganalytics.io");
    return node;
  }

  private Response token(Request r, String pathTenant, String v2) {
    Map<String, String> form = Query.decode(r.body());
    faults.check("Token", form.getOrDefault("client_id", ""));
    checkTenant(pathTenant);
    String id = form.getOrDefault("client_id", "");
    String secret = form.get("client_secret");
    String basic = r.header("authorization");
    if (basic != null && basic.startsWith("Basic ")) {
      String[] pair =
          new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8)
              .split(":", 2);
      id = Query.decode("a=" + pair[0]).get("a");
      secret = pair.length > 1 ? Query.decode("a=" + pair[1]).get("a") : null;
    }
    if (!"client_credentials".equals(form.get("grant_type"))) {
      throw oauth(
          400,
          "unsupported_grant_type",
          70003,
          "The app requested an unsupported grant type '" + form.get("grant_type") + "'.");
    }
    if (!clientId.equals(id)) {
      throw oauth(
          400,
          "unauthorized_client",
          700016,
          "Application with identifier '"
              + id
              + "' was not found in the directory 'Sandbox'. This can happen if the application"
              + " has not been installed by the administrator of the tenant or consented to by any"
              + " user in the tenant. You may have sent your authentication request to the wrong"
              + " tenant.");
    }
    if (secret == null
        || !MessageDigest.isEqual(
            secret.getBytes(StandardCharsets.UTF_8),
            clientSecret.getBytes(StandardCharsets.UTF_8))) {
      throw oauth(
          401,
          "invalid_client",
          7000215,
          "Invalid client secret provided. Ensure the secret being sent in the request is the"
              + " client secret value, not the client secret ID, for a secret added to app '"
              + clientId
              + "'.");
    }
    boolean isV2 = v2 != null;
    String scope = isV2 ? form.getOrDefault("scope", "") : form.getOrDefault("resource", "");
    if (isV2 && !scope.contains("/.default")) {
      throw oauth(
          400,
          "invalid_scope",
          1002012,
          "The provided value for scope "
              + scope
              + " is not valid. Client credential flows must have a scope value with /.default"
              + " suffixed to the resource identifier (application ID URI).");
    }
    Instant expires = clock.instant().plus(lifetime);
    ObjectNode body = Json.object();
    body.put("token_type", "Bearer");
    long seconds = Math.max(1, lifetime.toSeconds());
    body.put("expires_in", seconds);
    body.put("ext_expires_in", seconds);
    if (!isV2) {
      body.put("expires_on", Long.toString(expires.getEpochSecond()));
      body.put("resource", scope);
    }
    body.put("access_token", issue(expires));
    return Response.ok(body);
  }

  // ---- tokens ----

  /** A token valid until {@code expires}. */
  public synchronized String issue(Instant expires) {
    String payload =
        expires.toEpochMilli()
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(random(12));
    return TOKEN_PREFIX
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "."
        + mac(payload);
  }

  /**
   * Null when the request carries a live token of this Entra, else ARM's 401 with the challenge ARM
   * sends (the authority to fetch a token from).
   */
  public RuntimeException authenticate(Request r) {
    String auth = r.header("authorization");
    String authority = r.base() + "/" + tenant;
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return unauthorized(
          authority,
          "AuthenticationFailed",
          "Authentication failed. The 'Authorization' header is missing.",
          "The authentication failed because of missing 'Authorization' header.");
    }
    String token = auth.substring(7).trim();
    Instant expires = expiry(token);
    if (expires == null) {
      return unauthorized(
          authority,
          "InvalidAuthenticationToken",
          "The access token is invalid.",
          "The access token is invalid.");
    }
    Instant now = clock.instant();
    if (!now.isBefore(expires)) {
      return unauthorized(
          authority,
          "ExpiredAuthenticationToken",
          "The access token expiry UTC time '"
              + expires
              + "' is earlier than current UTC time '"
              + now
              + "'.",
          "The access token has expired.");
    }
    return null;
  }

  private synchronized Instant expiry(String token) {
    if (!token.startsWith(TOKEN_PREFIX)) {
      return null;
    }
    String[] parts = token.substring(TOKEN_PREFIX.length()).split("\\.");
    if (parts.length != 2) {
      return null;
    }
    try {
      String payload = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
      if (!MessageDigest.isEqual(
          mac(payload).getBytes(StandardCharsets.US_ASCII),
          parts[1].getBytes(StandardCharsets.US_ASCII))) {
        return null;
      }
      return Instant.ofEpochMilli(Long.parseLong(payload.substring(0, payload.indexOf('.'))));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return null;
    }
  }

  private static ArmError unauthorized(
      String authority, String code, String message, String description) {
    return new ArmError(401, code, message)
        .header(
            "WWW-Authenticate",
            "Bearer authorization_uri=\""
                + authority
                + "\", error=\"invalid_token\", error_description=\""
                + description
                + "\"");
  }

  private void checkTenant(String pathTenant) {
    if (!knownTenant(pathTenant) && !pathTenant.equalsIgnoreCase("common")) {
      throw oauth(
          400,
          "invalid_request",
          90002,
          "Tenant '"
              + pathTenant
              + "' not found. Check to make sure you have the correct tenant ID and are signing"
              + " into the correct cloud.");
    }
  }

  private boolean knownTenant(String pathTenant) {
    return pathTenant.equalsIgnoreCase(tenant) || pathTenant.equalsIgnoreCase("organizations");
  }

  private static ArmError oauth(int status, String error, int code, String description) {
    ObjectNode body = Json.object();
    body.put("error", error);
    body.put("error_description", "AADSTS" + code + ": " + description);
    body.putArray("error_codes").add(code);
    body.put("timestamp", Instant.now().toString());
    body.put("trace_id", UUID.randomUUID().toString());
    body.put("correlation_id", UUID.randomUUID().toString());
    return ArmError.raw(status, error, body);
  }

  private String mac(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] random(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  // ---- EmulatedService ----

  @Override
  public String key() {
    return "entra";
  }

  @Override
  public synchronized JsonNode snapshot() {
    ObjectNode node = Json.object();
    node.put("tokenKey", Base64.getEncoder().encodeToString(key));
    node.set("certificates", certificates.toJson());
    return node;
  }

  @Override
  public synchronized void restore(JsonNode snapshot, boolean serve) {
    if (snapshot == null || !snapshot.has("tokenKey")) {
      return;
    }
    key = Base64.getDecoder().decode(snapshot.path("tokenKey").asText());
    certificates = ClusterCertificates.fromJson(snapshot.path("certificates"));
  }

  /** Entra's state is no resource: nothing to list. */
  @Override
  public List<String> inventory() {
    return List.of();
  }

  /** Keeps the key and the CA: clients trust them beyond a reset. */
  @Override
  public void clear() {}
}
