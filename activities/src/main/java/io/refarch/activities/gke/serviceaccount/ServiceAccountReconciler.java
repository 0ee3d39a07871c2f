package io.refarch.activities.gke.serviceaccount;

import com.google.api.gax.rpc.ApiException;
import com.google.iam.admin.v1.ServiceAccount;
import io.refarch.activities.Failures;
import io.refarch.activities.gke.CloudErrors;
import io.refarch.workflow.FailureTypes;
import java.util.Optional;

/** The seed's {@code gcloud iam service-accounts create}, and its undo. */
public final class ServiceAccountReconciler {
  private final ServiceAccounts accounts;

  public ServiceAccountReconciler(ServiceAccounts accounts) {
    this.accounts = accounts;
  }

  public static String email(String project, String accountId) {
    return accountId + "@" + project + ".iam.gserviceaccount.com";
  }

  /** Creates the account, or adopts an enabled one of the same id; returns its email. */
  public String ensure(String project, String accountId) {
    String email = email(project, accountId);
    String doing = "creating service account " + email;
    try {
      Optional<ServiceAccount> existing = accounts.find(project, email);
      if (existing.isEmpty()) {
        try {
          return accounts.create(project, accountId, accountId).getEmail();
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
      return email;
    } catch (ApiException e) {
      throw CloudErrors.translate(doing, e);
    }
  }

  public void delete(String project, String accountId) {
    String email = email(project, accountId);
    try {
      accounts.delete(project, email);
    } catch (ApiException e) {
      throw CloudErrors.translate("deleting service account " + email, e);
    }
  }
}
