package io.refarch.sandbox.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.containerservice.ContainerServiceManager;
import com.azure.resourcemanager.resources.ResourceManager;
import io.refarch.sandbox.Sandbox;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The real Azure SDK clients pointed at a sandbox, as refarch's activities build them. */
final class AzureClients {

  private AzureClients() {}

  /** A JDK SSLContext trusting only the sandbox's Azure CA. */
  static SSLContext trusting(String caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry(
        "sandbox-azure-ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  static HttpClient httpClient(Sandbox sandbox) throws Exception {
    return new JdkHttpClientBuilder(
            java.net.http.HttpClient.newBuilder()
                .sslContext(trusting(sandbox.azureCertificateAuthority())))
        .build();
  }

  static TokenCredential credential(Sandbox sandbox, HttpClient http, String secret) {
    return new ClientSecretCredentialBuilder()
        .tenantId(Azure.SANDBOX_TENANT_ID)
        .clientId(Azure.SANDBOX_CLIENT_ID)
        .clientSecret(secret)
        .authorityHost(sandbox.endpoints().azure())
        // MSAL sends instance discovery for hosts it does not know to login.microsoftonline.com,
        // whatever the authority; off, it takes the authority as given (as for Azure Stack).
        .disableInstanceDiscovery()
        .httpClient(http)
        .build();
  }

  /** A custom cloud whose Resource Manager and Entra are the sandbox. */
  static AzureEnvironment environment(Sandbox sandbox) {
    Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
    endpoints.put("resourceManagerEndpointUrl", sandbox.endpoints().azure() + "/");
    endpoints.put("activeDirectoryEndpointUrl", sandbox.endpoints().azure() + "/");
    return new AzureEnvironment(endpoints);
  }

  static AzureProfile profile(Sandbox sandbox, String subscription) {
    return new AzureProfile(Azure.SANDBOX_TENANT_ID, subscription, environment(sandbox));
  }

  static ResourceManager resources(Sandbox sandbox, String subscription) throws Exception {
    HttpClient http = httpClient(sandbox);
    return ResourceManager.configure()
        .withHttpClient(http)
        .authenticate(
            credential(sandbox, http, Azure.SANDBOX_CLIENT_SECRET), profile(sandbox, subscription))
        .withSubscription(subscription);
  }

  static ContainerServiceManager aks(Sandbox sandbox, String subscription) throws Exception {
    HttpClient http = httpClient(sandbox);
    return ContainerServiceManager.configure()
        .withHttpClient(http)
        .authenticate(
            credential(sandbox, http, Azure.SANDBOX_CLIENT_SECRET), profile(sandbox, subscription));
  }
}
