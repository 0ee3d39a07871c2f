package io.refarch.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** AKS options. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AzureOptions(
    /** The subscription id (a UUID). */
    String subscription,
    /** The resource group created for the cluster. */
    String resourceGroup,
    /** The cluster's DNS prefix. */
    String dnsPrefix,
    /** Network plugin (azure or kubenet). */
    String networkPlugin,
    /** Network policy engine (calico). */
    String networkPolicy,
    /**
     * Tags on the resource group, the cluster and its agent pools (beside refarch's own ownership
     * tags), as {@code az aks create --tags} sets them.
     */
    Map<String, String> tags) {

  /** Without tags of the user's own. */
  public AzureOptions(
      String subscription,
      String resourceGroup,
      String dnsPrefix,
      String networkPlugin,
      String networkPolicy) {
    this(subscription, resourceGroup, dnsPrefix, networkPlugin, networkPolicy, null);
  }
}
