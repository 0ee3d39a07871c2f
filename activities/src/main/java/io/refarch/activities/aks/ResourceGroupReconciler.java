package io.refarch.activities.aks;

import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import io.refarch.activities.Caller;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.FailureTypes;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's resource group ({@code az group create}): made with the cluster's tags, or adopted
 * when it exists in the same location, since teams often keep an AKS cluster in a group they
 * manage. Deleting a group deletes everything in it, so only a group refarch made for this cluster
 * (or, in a compensation, made by this run) is ever deleted.
 */
final class ResourceGroupReconciler {
  private final AzureClients clients;
  private final AsyncOperations operations;

  ResourceGroupReconciler(AzureClients clients, AsyncOperations operations) {
    this.clients = clients;
    this.operations = operations;
  }

  Ensured ensure(String group, String location, Map<String, String> tags, Caller caller) {
    Optional<ResourceGroupInner> existing = get(group);
    if (existing.isPresent()) {
      ResourceGroupInner g = existing.get();
      if (!g.location().equalsIgnoreCase(location)) {
        throw Failures.permanent(
            FailureTypes.FAILED_PRECONDITION,
            "resource group "
                + group
                + " exists in "
                + g.location()
                + ", not in "
                + location
                + ": name another group (azure.resourceGroup) or use its location (region)");
      }
      return Ownership.madeBy(tagsOf(g), caller) ? Ensured.CREATED : Ensured.ADOPTED;
    }
    try {
      clients.groups.createOrUpdate(
          group, new ResourceGroupInner().withLocation(location).withTags(tags));
    } catch (RuntimeException e) {
      throw AzureErrors.translate("creating resource group " + group, e);
    }
    return Ensured.CREATED;
  }

  Deletion delete(String group, String cluster, Caller caller, Heartbeat heartbeat) {
    Optional<ResourceGroupInner> existing = get(group);
    if (existing.isEmpty()) {
      return Deletion.DELETED;
    }
    Optional<String> keep = Ownership.keepReason(tagsOf(existing.get()), cluster, caller);
    if (keep.isPresent()) {
      return Deletion.kept("resource group " + group + " kept: " + keep.get());
    }
    String what = "resource group " + group;
    AsyncOperations.Outcome outcome;
    try {
      outcome =
          "Deleting".equalsIgnoreCase(existing.get().properties().provisioningState())
              ? operations.resume(
                  clients, heartbeat, "arm.DELETE_RESOURCE_GROUP", what, () -> state(group))
              : operations.start(
                  clients,
                  heartbeat,
                  "arm.DELETE_RESOURCE_GROUP",
                  what,
                  () -> clients.groups.deleteWithResponseAsync(group, null),
                  () -> state(group));
    } catch (io.temporal.failure.ApplicationFailure f) {
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

  private Optional<String> state(String group) {
    return get(group).map(g -> g.properties().provisioningState());
  }

  private Optional<ResourceGroupInner> get(String group) {
    try {
      return Optional.of(clients.groups.get(group));
    } catch (RuntimeException e) {
      if (AzureErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw AzureErrors.translate("reading resource group " + group, e);
    }
  }

  private static Map<String, String> tagsOf(ResourceGroupInner g) {
    return g.tags() == null ? Map.of() : g.tags();
  }
}
