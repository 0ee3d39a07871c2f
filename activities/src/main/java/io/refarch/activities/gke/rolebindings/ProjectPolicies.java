package io.refarch.activities.gke.rolebindings;

import com.google.iam.v1.Policy;

/** Read and write a project's IAM policy; a write with a stale etag fails with ABORTED. */
public interface ProjectPolicies {
  Policy get(String project);

  Policy set(String project, Policy policy);
}
