package io.refarch.activities.aks;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the worker reaches Azure: the public cloud with azure-identity's default credential chain
 * (environment's {@code AZURE_CLIENT_ID}/{@code AZURE_TENANT_ID}/{@code AZURE_CLIENT_SECRET},
 * workload or managed identity, the Azure CLI's login), or another Resource Manager (the sandbox,
 * an Azure Stack hub) at {@code resourceManager} with Entra at {@code authority}, trusted through
 * {@code caPem} when its certificate is not from a public CA. The credential never leaves the
 * worker: activities take only a subscription id and names.
 *
 * @param resourceManager the Resource Manager endpoint, e.g. {@code https://management.azure.com/}
 * @param authority the Entra (login) endpoint, e.g. {@code https://login.microsoftonline.com/}
 * @param caPem certificates (PEM) to trust besides the JDK's, or null
 * @param servicePrincipal a client secret to sign in with, or null for the default chain
 */
public record AzureConnection(
    URI resourceManager, URI authority, String caPem, ServicePrincipal servicePrincipal) {

  /** A client id and secret in one tenant (an app registration, or the sandbox's own). */
  public record ServicePrincipal(String tenantId, String clientId, String clientSecret) {
    @Override
    public String toString() {
      return "ServicePrincipal[tenant " + tenantId + ", client " + clientId + "]";
    }
  }

  public AzureConnection {
    if (resourceManager == null || authority == null) {
      throw new IllegalArgumentException("the Resource Manager and authority URLs are required");
    }
  }

  /** Public Azure with the worker's default credential chain. */
  public static AzureConnection real() {
    return new AzureConnection(
        URI.create(AzureEnvironment.AZURE.getResourceManagerEndpoint()),
        URI.create(AzureEnvironment.AZURE.getActiveDirectoryEndpoint()),
        null,
        null);
  }

  /**
   * One endpoint serving both Resource Manager and Entra (the refarch sandbox), trusted through
   * {@code caPem}, signed in as {@code principal}.
   */
  public static AzureConnection at(URI endpoint, String caPem, ServicePrincipal principal) {
    return new AzureConnection(endpoint, endpoint, caPem, principal);
  }

  /** Whether this is public Azure (its audiences, instance discovery). */
  public boolean isPublicCloud() {
    return resourceManager.equals(URI.create(AzureEnvironment.AZURE.getResourceManagerEndpoint()));
  }

  /** The tenant to sign in to: the service principal's, else the environment's (may be null). */
  public String tenantId() {
    return servicePrincipal != null
        ? servicePrincipal.tenantId()
        : com.azure.core.util.Configuration.getGlobalConfiguration().get("AZURE_TENANT_ID");
  }

  /** The cloud's endpoints as the management SDKs read them. */
  public AzureEnvironment environment() {
    if (isPublicCloud()) {
      return AzureEnvironment.AZURE;
    }
    Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
    String arm = withSlash(resourceManager);
    // The token's audience stays public Azure's management endpoint, as for a custom cloud the
    // Azure CLI registers from the sandbox's metadata.
    endpoints.put("resourceManagerEndpointUrl", arm);
    endpoints.put("activeDirectoryEndpointUrl", withSlash(authority));
    return new AzureEnvironment(endpoints);
  }

  /** An HTTP client over the JDK's, trusting {@code caPem} too when given. */
  public HttpClient httpClient() {
    java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder();
    if (caPem != null) {
      jdk.sslContext(trusting(caPem));
    }
    return new JdkHttpClientBuilder(jdk).build();
  }

  /** The credential, built on {@code http} so that a private authority's CA is trusted too. */
  public TokenCredential credential(HttpClient http) {
    if (servicePrincipal != null) {
      ClientSecretCredentialBuilder b =
          new ClientSecretCredentialBuilder()
              .tenantId(servicePrincipal.tenantId())
              .clientId(servicePrincipal.clientId())
              .clientSecret(servicePrincipal.clientSecret())
              .authorityHost(authority.toString())
              .httpClient(http);
      // Instance discovery asks Microsoft's public cloud whether the authority is known: a private
      // one (the sandbox, a sovereign or stack cloud) is trusted as configured instead.
      return isPublicCloud() ? b.build() : b.disableInstanceDiscovery().build();
    }
    DefaultAzureCredentialBuilder b =
        new DefaultAzureCredentialBuilder().authorityHost(authority.toString()).httpClient(http);
    return isPublicCloud() ? b.build() : b.disableInstanceDiscovery().build();
  }

  private static String withSlash(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? s : s + "/";
  }

  private static SSLContext trusting(String pem) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      // The JDK's own CAs stay trusted: a proxy or real endpoint behind the same client still
      // works.
      TrustManagerFactory system =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      system.init((KeyStore) null);
      int i = 0;
      for (var tm : system.getTrustManagers()) {
        if (tm instanceof javax.net.ssl.X509TrustManager x) {
          for (var ca : x.getAcceptedIssuers()) {
            store.setCertificateEntry("system-" + i++, ca);
          }
        }
      }
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (Certificate cert :
          cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)))) {
        store.setCertificateEntry("given-" + i++, cert);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException(
          "the CA certificates given for Azure do not load: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "AzureConnection[" + resourceManager + ", authority " + authority + "]";
  }
}
