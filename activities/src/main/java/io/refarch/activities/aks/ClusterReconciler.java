package io.refarch.activities.aks;

import com.azure.resourcemanager.containerservice.fluent.models.ManagedClusterInner;
import com.azure.resourcemanager.containerservice.models.ContainerServiceNetworkProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterAgentPoolProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterIdentity;
import com.azure.resourcemanager.containerservice.models.NetworkPlugin;
import com.azure.resourcemanager.containerservice.models.NetworkPolicy;
import com.azure.resourcemanager.containerservice.models.ResourceIdentityType;
import io.refarch.activities.Caller;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The managed cluster ({@code az aks create}) with the services pool as its System pool, a
 * system-assigned identity and the spec's network profile. A cluster that exists is this run's (an
 * earlier attempt: its operation is awaited, never started again), adopted when it matches, or
 * refused with what differs.
 */
final class ClusterReconciler {
  /** What the cluster must be. */
  record Wanted(
      String group,
      String name,
      String location,
      String version,
      String dnsPrefix,
      String networkPlugin,
      String networkPolicy,
      AgentPoolShape systemPool,
      Map<String, String> tags) {}

  private final AzureClients clients;
  private final AsyncOperations operations;

  ClusterReconciler(AzureClients clients, AsyncOperations operations) {
    this.clients = clients;
    this.operations = operations;
  }

  Ensured ensure(Wanted wanted, Caller caller, Heartbeat heartbeat) {
    String what = "AKS cluster " + wanted.name();
    Optional<ManagedClusterInner> existing = get(wanted.group(), wanted.name());
    Ensured result;
    AsyncOperations.Outcome outcome;
    if (existing.isPresent()) {
      ManagedClusterInner c = existing.get();
      boolean ours = Ownership.madeBy(tagsOf(c), caller);
      if (!ours) {
        List<String> differences = differences(wanted, c);
        if (!differences.isEmpty()) {
          throw Failures.permanent(
              FailureTypes.SPEC_MISMATCH,
              what
                  + " exists and differs from the spec ("
                  + String.join("; ", differences)
                  + "): refarch changes no cluster it did not make; delete it or change the spec");
        }
      }
      result = ours ? Ensured.CREATED : Ensured.ADOPTED;
      if (AsyncOperations.terminal(c.provisioningState())) {
        outcome = new AsyncOperations.Outcome(c.provisioningState(), null, null);
      } else {
        outcome =
            operations.resume(clients, heartbeat, "aks.CREATE_CLUSTER", what, () -> state(wanted));
      }
    } else {
      result = Ensured.CREATED;
      try {
        outcome =
            operations.start(
                clients,
                heartbeat,
                "aks.CREATE_CLUSTER",
                what,
                () ->
                    clients.clusters.createOrUpdateWithResponseAsync(
                        wanted.group(), wanted.name(), body(wanted), null, null),
                () -> state(wanted));
      } catch (ApplicationFailure f) {
        throw f;
      } catch (RuntimeException e) {
        throw AzureErrors.translate("creating " + what, e);
      }
    }
    if (!outcome.succeeded()) {
      throw AsyncOperations.failed("creating " + what, outcome);
    }
    return result;
  }

  Deletion delete(String group, String name, Caller caller, Heartbeat heartbeat) {
    Optional<ManagedClusterInner> existing = get(group, name);
    if (existing.isEmpty()) {
      return Deletion.DELETED;
    }
    Optional<String> keep = Ownership.keepReason(tagsOf(existing.get()), name, caller);
    if (keep.isPresent()) {
      return Deletion.kept("AKS cluster " + name + " kept: " + keep.get());
    }
    String what = "AKS cluster " + name;
    String current = existing.get().provisioningState();
    if (!AsyncOperations.terminal(current) && !"Deleting".equalsIgnoreCase(current)) {
      // As for agent pools: a create still running ends first, then the DELETE is accepted.
      operations.resume(clients, heartbeat, "aks.CREATE_CLUSTER", what, () -> state(group, name));
    }
    AsyncOperations.Outcome outcome;
    try {
      outcome =
          "Deleting".equalsIgnoreCase(current)
              ? operations.resume(
                  clients, heartbeat, "aks.DELETE_CLUSTER", what, () -> state(group, name))
              : operations.start(
                  clients,
                  heartbeat,
                  "aks.DELETE_CLUSTER",
                  what,
                  () -> clients.clusters.deleteWithResponseAsync(group, name, null),
                  () -> state(group, name));
    } catch (ApplicationFailure f) {
      throw f;
    } catch (RuntimeException e) {
      if (AzureErrors.isNotFound(e)) {
        return Deletion.DELETED;
      }
      throw AzureErrors.translate("deleting " + what, e);
    }
    if (!outcome.succeeded()) {
      throw AsyncOperations.failed("deleting " + what, outcome);
    }
    return Deletion.DELETED;
  }

  Optional<ManagedClusterInner> get(String group, String name) {
    try {
      return Optional.of(clients.clusters.getByResourceGroup(group, name));
    } catch (RuntimeException e) {
      if (AzureErrors.isNotFound(e)) {
        return Optional.empty(); // the cluster, or its whole group
      }
      throw AzureErrors.translate("reading AKS cluster " + name, e);
    }
  }

  private Optional<String> state(Wanted wanted) {
    return state(wanted.group(), wanted.name());
  }

  private Optional<String> state(String group, String name) {
    return get(group, name).map(ManagedClusterInner::provisioningState);
  }

  static ManagedClusterInner body(Wanted w) {
    ContainerServiceNetworkProfile network =
        new ContainerServiceNetworkProfile()
            .withNetworkPlugin(NetworkPlugin.fromString(w.networkPlugin()));
    if (w.networkPolicy() != null) {
      network.withNetworkPolicy(NetworkPolicy.fromString(w.networkPolicy()));
    }
    return new ManagedClusterInner()
        .withLocation(w.location())
        .withTags(w.tags())
        .withIdentity(new ManagedClusterIdentity().withType(ResourceIdentityType.SYSTEM_ASSIGNED))
        .withKubernetesVersion(w.version())
        .withDnsPrefix(w.dnsPrefix())
        .withEnableRbac(true)
        .withAgentPoolProfiles(List.of(w.systemPool().profile()))
        .withNetworkProfile(network);
  }

  private static List<String> differences(Wanted w, ManagedClusterInner c) {
    List<String> d = new ArrayList<>();
    if (!c.location().equalsIgnoreCase(w.location())) {
      d.add("location: " + c.location() + ", wanted " + w.location());
    }
    String version = String.valueOf(c.kubernetesVersion());
    if (!(version.equals(w.version()) || version.startsWith(w.version() + "."))) {
      d.add("kubernetesVersion: " + version + ", wanted " + w.version());
    }
    Optional<ManagedClusterAgentPoolProfile> system =
        c.agentPoolProfiles() == null
            ? Optional.empty()
            : c.agentPoolProfiles().stream()
                .filter(p -> p.name().equals(w.systemPool().name()))
                .findFirst();
    if (system.isEmpty()) {
      d.add("no agent pool " + w.systemPool().name());
    } else {
      ManagedClusterAgentPoolProfile p = system.get();
      d.addAll(w.systemPool().differences(p.vmSize(), p.maxPods(), p.mode(), p.nodeLabels()));
    }
    return d;
  }

  private static Map<String, String> tagsOf(ManagedClusterInner c) {
    return c.tags() == null ? Map.of() : c.tags();
  }
}
