package io.refarch.activities.aks;

import com.azure.resourcemanager.containerservice.fluent.models.CredentialResultsInner;
import com.azure.resourcemanager.containerservice.fluent.models.ManagedClusterInner;
import io.fabric8.kubernetes.client.Config;
import io.refarch.activities.Failures;
import io.refarch.activities.kubernetes.KubeAccess;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.kubernetes.ClusterRef;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An AKS cluster's API as the worker may use it, fetched on every attempt: {@code
 * listClusterAdminCredential} (what {@code az aks get-credentials --admin} reads) gives a
 * kubeconfig, parsed in memory and never written to disk nor returned. The cluster is found by its
 * coordinates (subscription, location, name); its resource group is read off the cluster's ARM id,
 * preferring the cluster refarch tagged as this one when names repeat across groups.
 */
public final class AksKubeAccess implements KubeAccess {
  private final AzureConnection connection;
  private final Map<String, AzureClients> clients = new HashMap<>();

  public AksKubeAccess(AzureConnection connection) {
    this.connection = connection;
  }

  @Override
  public Config config(ClusterRef ref) {
    String kubeconfig = adminKubeconfig(ref);
    try {
      return Config.fromKubeconfig(kubeconfig);
    } catch (RuntimeException e) {
      // The message could quote the kubeconfig: say only what failed.
      throw Failures.permanent(
          FailureTypes.FAILED_PRECONDITION,
          "the admin kubeconfig of AKS cluster " + ref.name() + " does not parse");
    }
  }

  /**
   * The cluster's admin kubeconfig as AKS gives it (what {@code az aks get-credentials --admin}
   * merges into ~/.kube/config): a secret, for this worker's memory or a user's 0600 file only.
   */
  public String adminKubeconfig(ClusterRef ref) {
    AzureClients c = clients(ref.owner());
    ManagedClusterInner cluster = find(c, ref);
    String group = groupOf(cluster.id());
    CredentialResultsInner credentials;
    try {
      credentials = c.clusters.listClusterAdminCredentials(group, ref.name());
    } catch (RuntimeException e) {
      throw AzureErrors.translate("fetching the admin credential of AKS cluster " + ref.name(), e);
    }
    if (credentials.kubeconfigs() == null || credentials.kubeconfigs().isEmpty()) {
      throw Failures.retryable(
          Failures.NOT_READY, "AKS cluster " + ref.name() + " has no credential yet");
    }
    return new String(credentials.kubeconfigs().get(0).value(), StandardCharsets.UTF_8);
  }

  private static ManagedClusterInner find(AzureClients c, ClusterRef ref) {
    List<ManagedClusterInner> named;
    try {
      named =
          c.clusters.list().stream()
              .filter(m -> m.name().equalsIgnoreCase(ref.name()))
              .filter(m -> m.location().equalsIgnoreCase(ref.region()))
              .toList();
    } catch (RuntimeException e) {
      throw AzureErrors.translate("listing the AKS clusters of " + ref.owner(), e);
    }
    List<ManagedClusterInner> ours =
        named.stream()
            .filter(m -> m.tags() != null && Ownership.madeFor(m.tags(), ref.name()))
            .toList();
    List<ManagedClusterInner> candidates = ours.isEmpty() ? named : ours;
    if (candidates.isEmpty()) {
      throw Failures.permanent(
          FailureTypes.FAILED_PRECONDITION,
          "AKS cluster " + ref.name() + " does not exist in " + ref.region());
    }
    if (candidates.size() > 1) {
      throw Failures.permanent(
          FailureTypes.FAILED_PRECONDITION,
          "several AKS clusters named "
              + ref.name()
              + " in "
              + ref.region()
              + " of subscription "
              + ref.owner()
              + ": tag the one refarch should use with "
              + Ownership.CLUSTER
              + "="
              + ref.name());
    }
    return candidates.get(0);
  }

  /** {@code /subscriptions/S/resourceGroups/G/providers/...} to G. */
  static String groupOf(String id) {
    String[] parts = id.split("/");
    for (int i = 0; i + 1 < parts.length; i++) {
      if (parts[i].equalsIgnoreCase("resourceGroups")) {
        return parts[i + 1];
      }
    }
    throw new IllegalArgumentException("not an ARM resource id: " + id);
  }

  private synchronized AzureClients clients(String subscription) {
    return clients.computeIfAbsent(subscription, s -> AzureClients.connect(connection, s));
  }
}
