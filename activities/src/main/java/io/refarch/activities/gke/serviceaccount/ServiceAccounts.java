package io.refarch.activities.gke.serviceaccount;

import com.google.iam.admin.v1.ServiceAccount;
import java.util.Optional;

/** The IAM calls a service account needs. */
public interface ServiceAccounts {
  Optional<ServiceAccount> find(String project, String email);

  ServiceAccount create(String project, String accountId, String displayName, String description);

  /** Returns false when the account was already gone. */
  boolean delete(String project, String email);
}
