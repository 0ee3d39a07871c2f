package io.refarch.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

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
    String networkPolicy) {}
