package io.refarch.activities.aks;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.containerservice.ContainerServiceManager;
import com.azure.resourcemanager.containerservice.fluent.AgentPoolsClient;
import com.azure.resourcemanager.containerservice.fluent.ManagedClustersClient;
import com.azure.resourcemanager.resources.ResourceManager;
import com.azure.resourcemanager.resources.fluent.ResourceGroupsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One subscription's Azure clients, built once per worker and subscription: the Resource Manager's
 * resource groups, AKS's managed clusters and agent pools, and the authenticated pipeline for what
 * the SDK exposes no method for (an operation's status URL, Compute's usages and SKUs, which the
 * {@code containerservice} and {@code resources} SDKs do not cover).
 */
public final class AzureClients {
  final String subscription;
  final ResourceGroupsClient groups;
  final ManagedClustersClient clusters;
  final AgentPoolsClient pools;
  final HttpPipeline pipeline;
  final String resourceManager;

  private AzureClients(
      String subscription,
      ResourceGroupsClient groups,
      ManagedClustersClient clusters,
      AgentPoolsClient pools,
      HttpPipeline pipeline,
      String resourceManager) {
    this.subscription = subscription;
    this.groups = groups;
    this.clusters = clusters;
    this.pools = pools;
    this.pipeline = pipeline;
    this.resourceManager = resourceManager;
  }

  public static AzureClients connect(AzureConnection connection, String subscription) {
    HttpClient http = connection.httpClient();
    TokenCredential credential = connection.credential(http);
    AzureProfile profile =
        new AzureProfile(connection.tenantId(), subscription, connection.environment());
    ContainerServiceManager aks =
        ContainerServiceManager.configure().withHttpClient(http).authenticate(credential, profile);
    ResourceManager resources =
        ResourceManager.configure()
            .withHttpClient(http)
            .authenticate(credential, profile)
            .withSubscription(subscription);
    return new AzureClients(
        subscription,
        resources.serviceClient().getResourceGroups(),
        aks.serviceClient().getManagedClusters(),
        aks.serviceClient().getAgentPools(),
        aks.httpPipeline(),
        profile.getEnvironment().getResourceManagerEndpoint());
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * GETs {@code url} (absolute, or a path under Resource Manager) and reads its JSON body; an ARM
   * error answer becomes the same {@link ManagementException} the SDK's own calls throw.
   */
  public JsonNode get(String url) {
    String absolute =
        url.startsWith("https://") || url.startsWith("http://")
            ? url
            : resourceManager.replaceAll("/$", "") + url;
    try (HttpResponse response = pipeline.send(new HttpRequest(HttpMethod.GET, absolute)).block()) {
      String body = response.getBodyAsString().block();
      if (response.getStatusCode() >= 400) {
        ManagementError error = null;
        JsonNode e = body == null || body.isBlank() ? null : JSON.readTree(body).path("error");
        if (e != null && e.isObject()) {
          error = new ManagementError(e.path("code").asText(""), e.path("message").asText(""));
        }
        throw new ManagementException(
            "Status code " + response.getStatusCode() + ", " + body, response, error);
      }
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + absolute, e);
    }
  }
}
