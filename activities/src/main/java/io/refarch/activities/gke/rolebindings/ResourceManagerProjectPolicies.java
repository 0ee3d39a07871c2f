package io.refarch.activities.gke.rolebindings;

import com.google.cloud.resourcemanager.v3.ProjectsClient;
import com.google.iam.v1.GetIamPolicyRequest;
import com.google.iam.v1.GetPolicyOptions;
import com.google.iam.v1.Policy;
import com.google.iam.v1.SetIamPolicyRequest;

/** {@link ProjectPolicies} over Cloud Resource Manager v3. */
public final class ResourceManagerProjectPolicies implements ProjectPolicies {
  private final ProjectsClient projects;

  public ResourceManagerProjectPolicies(ProjectsClient projects) {
    this.projects = projects;
  }

  @Override
  public Policy get(String project) {
    // Version 3 so conditional bindings come back whole and are written back untouched.
    return projects.getIamPolicy(
        GetIamPolicyRequest.newBuilder()
            .setResource("projects/" + project)
            .setOptions(GetPolicyOptions.newBuilder().setRequestedPolicyVersion(3))
            .build());
  }

  @Override
  public Policy set(String project, Policy policy) {
    return projects.setIamPolicy(
        SetIamPolicyRequest.newBuilder()
            .setResource("projects/" + project)
            .setPolicy(policy)
            .build());
  }
}
