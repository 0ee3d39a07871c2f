package io.refarch.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The whole user-facing description of one reference-architecture cluster, read from YAML.
 *
 * <p>Fields left out by the user are null until {@link SpecDefaults} fills them; after that every
 * field the chosen cloud needs is set. The spec never holds a secret: credentials come from each
 * cloud's own credential chain on the worker.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterSpec(
    /** Always {@code refarch.io/v1alpha1}; lets the format change later without guessing. */
    String apiVersion,
    /** Always {@code ClusterSpec}. */
    String kind,
    /** Which cloud: gcp, aws or azure. */
    Cloud cloud,
    /** The cluster's name, as the cloud shows it. */
    String name,
    /** Region of the cluster (GCP region, AWS region, Azure location). */
    String region,
    /** Zones for the nodes; empty means every zone of the region the cloud picks. */
    List<String> zones,
    /** Kubernetes version: a GKE version such as 1.22.12-gke.1200, or major.minor on EKS/AKS. */
    String kubernetesVersion,
    /** The user that gets the cluster-admin ClusterRoleBinding (the seed's core/account). */
    String clusterAdmin,
    /** Skip compensation when a run fails, to inspect what was left; off by default. */
    Boolean keepOnFailure,
    /**
     * Seconds a long step (one that waits on a cloud operation or on nodes) may go without a
     * heartbeat before Temporal retries it on another worker; null means {@value
     * #DEFAULT_HEARTBEAT_TIMEOUT_SECONDS}.
     */
    Integer heartbeatTimeoutSeconds,
    /** The network the cluster gets. */
    Network network,
    /** The node pools, in the order they are created (services first). */
    List<NodePool> nodePools,
    /** Options only GKE reads. */
    GcpOptions gcp,
    /** Options only EKS reads. */
    AwsOptions aws,
    /** Options only AKS reads. */
    AzureOptions azure) {

  public static final String API_VERSION = "refarch.io/v1alpha1";
  public static final String KIND = "ClusterSpec";

  public static final int DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 30;

  /** Long activities beat every 5 s: a shorter timeout would need every beat to arrive on time. */
  public static final int MIN_HEARTBEAT_TIMEOUT_SECONDS = 10;

  public static final int MAX_HEARTBEAT_TIMEOUT_SECONDS = 600;

  /** This spec with other GKE options. */
  public ClusterSpec withGcp(GcpOptions options) {
    return new ClusterSpec(
        apiVersion,
        kind,
        cloud,
        name,
        region,
        zones,
        kubernetesVersion,
        clusterAdmin,
        keepOnFailure,
        heartbeatTimeoutSeconds,
        network,
        nodePools,
        options,
        aws,
        azure);
  }

  /** The project (GCP), account (AWS) or subscription (Azure) the cluster lives in. */
  public String owner() {
    return switch (cloud) {
      case GCP -> gcp == null ? null : gcp.project();
      case AWS -> aws == null ? null : aws.account();
      case AZURE -> azure == null ? null : azure.subscription();
    };
  }

  public boolean keepsOnFailure() {
    return Boolean.TRUE.equals(keepOnFailure);
  }

  public java.time.Duration heartbeatTimeout() {
    return java.time.Duration.ofSeconds(
        heartbeatTimeoutSeconds == null
            ? DEFAULT_HEARTBEAT_TIMEOUT_SECONDS
            : heartbeatTimeoutSeconds);
  }

  public NodePool pool(String poolName) {
    return nodePools.stream()
        .filter(p -> p.name().equals(poolName))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node pool " + poolName));
  }
}
