package io.refarch.activities.gke.serviceaccount;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.iam.admin.v1.ServiceAccount;
import io.refarch.activities.gke.CloudErrors;
import java.util.Optional;

/** {@link ServiceAccounts} over the IAM admin API (gRPC). */
public final class IamServiceAccounts implements ServiceAccounts {
  private final IAMClient iam;

  public IamServiceAccounts(IAMClient iam) {
    this.iam = iam;
  }

  @Override
  public Optional<ServiceAccount> find(String project, String email) {
    try {
      return Optional.of(iam.getServiceAccount(name(project, email)));
    } catch (ApiException e) {
      if (CloudErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public ServiceAccount create(
      String project, String accountId, String displayName, String description) {
    return iam.createServiceAccount(
        "projects/" + project,
        accountId,
        ServiceAccount.newBuilder()
            .setDisplayName(displayName)
            .setDescription(description)
            .build());
  }

  @Override
  public boolean delete(String project, String email) {
    try {
      iam.deleteServiceAccount(name(project, email));
      return true;
    } catch (ApiException e) {
      if (CloudErrors.isNotFound(e)) {
        return false;
      }
      throw e;
    }
  }

  private static String name(String project, String email) {
    return "projects/" + project + "/serviceAccounts/" + email;
  }
}
