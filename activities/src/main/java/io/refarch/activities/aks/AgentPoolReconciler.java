package io.refarch.activities.aks;

import com.azure.resourcemanager.containerservice.fluent.models.AgentPoolInner;
import io.refarch.activities.Caller;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One workspace pool ({@code az aks nodepool add --mode User}). AKS runs one agent-pool operation
 * per cluster at a time and answers a second with 409 {@code OperationNotAllowed}: {@link
 * AzureErrors} makes that a retried {@code ClusterBusy}, so a pool whose turn has not come waits.
 */
final class AgentPoolReconciler {
  private final AzureClients clients;
  private final AsyncOperations operations;

  AgentPoolReconciler(AzureClients clients, AsyncOperations operations) {
    this.clients = clients;
    this.operations = operations;
  }

  Ensured ensure(String group, String cluster, AgentPoolShape wanted, Caller caller, Heartbeat hb) {
    String what = "agent pool " + wanted.name() + " of AKS cluster " + cluster;
    Optional<AgentPoolInner> existing = get(group, cluster, wanted.name());
    Ensured result;
    AsyncOperations.Outcome outcome;
    if (existing.isPresent()) {
      AgentPoolInner p = existing.get();
      boolean ours = Ownership.madeBy(tagsOf(p), caller);
      if (!ours) {
        List<String> differences =
            wanted.differences(p.vmSize(), p.maxPods(), p.mode(), p.nodeLabels());
        if (!differences.isEmpty()) {
          throw Failures.permanent(
              FailureTypes.SPEC_MISMATCH,
              what
                  + " exists and differs from the spec ("
                  + String.join("; ", differences)
                  + "): refarch changes no pool it did not make; delete it or change the spec");
        }
      }
      result = ours ? Ensured.CREATED : Ensured.ADOPTED;
      outcome =
          AsyncOperations.terminal(p.provisioningState())
              ? new AsyncOperations.Outcome(p.provisioningState(), null, null)
              : operations.resume(
                  clients,
                  hb,
                  "aks.CREATE_AGENT_POOL",
                  what,
                  () -> state(group, cluster, wanted.name()));
    } else {
      result = Ensured.CREATED;
      try {
        outcome =
            operations.start(
                clients,
                hb,
                "aks.CREATE_AGENT_POOL",
                what,
                () ->
                    clients.pools.createOrUpdateWithResponseAsync(
                        group, cluster, wanted.name(), wanted.agentPool(), null, null),
                () -> state(group, cluster, wanted.name()));
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

  Deletion delete(String group, String cluster, String pool, Caller caller, Heartbeat hb) {
    Optional<AgentPoolInner> existing = get(group, cluster, pool);
    if (existing.isEmpty()) {
      return Deletion.DELETED;
    }
    Optional<String> keep = Ownership.keepReason(tagsOf(existing.get()), cluster, caller);
    if (keep.isPresent()) {
      return Deletion.kept("agent pool " + pool + " kept: " + keep.get());
    }
    String what = "agent pool " + pool + " of AKS cluster " + cluster;
    String state = existing.get().provisioningState();
    if (!AsyncOperations.terminal(state) && !"Deleting".equalsIgnoreCase(state)) {
      // AKS refuses a DELETE while the pool's create runs (409): a compensation that follows a
      // cancelled create waits for it to end instead of being refused over and over.
      operations.resume(
          clients, hb, "aks.CREATE_AGENT_POOL", what, () -> state(group, cluster, pool));
    }
    AsyncOperations.Outcome outcome;
    try {
      outcome =
          "Deleting".equalsIgnoreCase(state)
              ? operations.resume(
                  clients, hb, "aks.DELETE_AGENT_POOL", what, () -> state(group, cluster, pool))
              : operations.start(
                  clients,
                  hb,
                  "aks.DELETE_AGENT_POOL",
                  what,
                  () -> clients.pools.deleteWithResponseAsync(group, cluster, pool, null, null),
                  () -> state(group, cluster, pool));
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

  private Optional<String> state(String group, String cluster, String pool) {
    return get(group, cluster, pool).map(AgentPoolInner::provisioningState);
  }

  private Optional<AgentPoolInner> get(String group, String cluster, String pool) {
    try {
      return Optional.of(clients.pools.get(group, cluster, pool));
    } catch (RuntimeException e) {
      if (AzureErrors.isNotFound(e)) {
        return Optional.empty(); // the pool, its cluster or the group
      }
      throw AzureErrors.translate("reading agent pool " + pool, e);
    }
  }

  private static Map<String, String> tagsOf(AgentPoolInner p) {
    return p.tags() == null ? Map.of() : p.tags();
  }
}
