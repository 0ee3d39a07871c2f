package io.refarch.activities.gke.serviceaccount;

import com.google.api.gax.rpc.ApiException;
import com.google.container.v1.Cluster;
import com.google.container.v1.NodePool;
import com.google.iam.admin.v1.ServiceAccount;
import io.refarch.activities.Caller;
import io.refarch.activities.Failures;
import io.refarch.activities.gke.CloudErrors;
import io.refarch.activities.gke.Ownership;
import io.refarch.spec.GcpOptions;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.FailureTypes;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The seed's {@code gcloud iam service-accounts create}, and its undo. The account serves every
 * cluster of the project created with it (and the pools run as it, when gcp.nodePoolServiceAccount
 * names it), so it is not one cluster's: the account refarch creates says so in its description
 * (the cluster it was first made for and the run that made it), and it is removed only when no
 * other cluster relies on it.
 */
public final class ServiceAccountReconciler {
  /** How refarch's accounts start their description; accounts without it are not refarch's. */
  static final String MARK = "refarch: ";

  private final ServiceAccounts accounts;

  public ServiceAccountReconciler(ServiceAccounts accounts) {
    this.accounts = accounts;
  }

  public static String email(String project, String accountId) {
    return GcpOptions.email(project, accountId);
  }

  /** What refarch writes in the description of an account it creates. */
  static String description(String cluster, Caller caller) {
    return MARK + "made for cluster " + cluster + " by run " + caller.runId();
  }

  /**
   * Creates the account, or adopts an enabled one of the same id: CREATED only if this run made it.
   *
   * @param cluster the cluster's full name, for the account's description
   */
  public Ensured ensure(String project, String accountId, String cluster, Caller caller) {
    String email = email(project, accountId);
    String doing = "creating service account " + email;
    try {
      Optional<ServiceAccount> existing = accounts.find(project, email);
      if (existing.isEmpty()) {
        try {
          accounts.create(project, accountId, accountId, description(cluster, caller));
          return Ensured.CREATED;
        } catch (ApiException e) {
          if (!CloudErrors.isAlreadyExists(e)) {
            throw e;
          }
          // Created between our describe and create (an earlier attempt): adopt it below.
          existing = accounts.find(project, email);
        }
      }
      if (existing.isPresent() && existing.get().getDisabled()) {
        throw Failures.permanent(
            FailureTypes.SPEC_MISMATCH,
            "service account " + email + " exists but is disabled; enable it or delete it");
      }
      return existing.isPresent() && madeBy(existing.get(), caller)
          ? Ensured.CREATED
          : Ensured.ADOPTED;
    } catch (ApiException e) {
      throw CloudErrors.translate(doing, e);
    }
  }

  /**
   * Why the account, and with it its project roles, must stay; empty when the caller may remove
   * them: a compensation only what its run created, a teardown only an account refarch made, and
   * neither while another cluster of the project still runs as it or is marked as relying on it.
   *
   * @param selfName the caller's own cluster, which does not count as another user
   * @param selfLocation its location
   * @param projectClusters every cluster of the project, read when the answer depends on them
   */
  public Optional<String> keepReason(
      String project,
      String accountId,
      String selfName,
      String selfLocation,
      Caller caller,
      Function<String, List<Cluster>> projectClusters) {
    String email = email(project, accountId);
    try {
      Optional<ServiceAccount> account = accounts.find(project, email);
      if (account.isEmpty()) {
        return Optional.empty();
      }
      if (caller.teardown() && !account.get().getDescription().startsWith(MARK)) {
        return Optional.of("not made by refarch (its description does not start with 'refarch:')");
      }
      if (!caller.teardown() && !madeBy(account.get(), caller)) {
        return Optional.of(
            "existed before this run (adopted); a failed run deletes only what it made");
      }
      List<String> users =
          projectClusters.apply(project).stream()
              .filter(c -> !(c.getName().equals(selfName) && c.getLocation().equals(selfLocation)))
              .filter(c -> reliesOn(c, accountId, email))
              .map(c -> c.getLocation() + "/" + c.getName())
              .sorted()
              .toList();
      return users.isEmpty()
          ? Optional.empty()
          : Optional.of(
              "shared: still used by "
                  + (users.size() == 1 ? "cluster " : "clusters ")
                  + String.join(", ", users));
    } catch (ApiException e) {
      throw CloudErrors.translate("reading service account " + email, e);
    }
  }

  /** Deletes the account unless {@code keepReason} says it must stay. */
  public Deletion delete(String project, String accountId, Optional<String> keepReason) {
    if (keepReason.isPresent()) {
      return Deletion.kept(keepReason.get());
    }
    String email = email(project, accountId);
    try {
      accounts.delete(project, email);
      return Deletion.DELETED;
    } catch (ApiException e) {
      throw CloudErrors.translate("deleting service account " + email, e);
    }
  }

  private static boolean madeBy(ServiceAccount account, Caller caller) {
    return account.getDescription().startsWith(MARK)
        && account.getDescription().endsWith(" by run " + caller.runId());
  }

  /** Marked as relying on the account (refarch's clusters), or running a pool as it (any). */
  private static boolean reliesOn(Cluster cluster, String accountId, String email) {
    return accountId.equals(cluster.getResourceLabelsMap().get(Ownership.SERVICE_ACCOUNT))
        || email.equals(cluster.getNodeConfig().getServiceAccount())
        || cluster.getNodePoolsList().stream()
            .map(NodePool::getConfig)
            .anyMatch(c -> email.equals(c.getServiceAccount()));
  }
}
