package io.refarch.activities.gke.rolebindings;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.iam.v1.Binding;
import com.google.iam.v1.Policy;
import io.refarch.activities.gke.CloudErrors;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The seed's {@code gcloud projects add-iam-policy-binding}s: grants one member a set of project
 * roles by read-modify-write of the project policy, guarded by its etag; removal takes that member
 * out of exactly those roles and leaves every other binding alone. The bindings belong to the
 * member (the project's shared service account): they go when it goes, and stay while it stays.
 */
public final class RoleBindingReconciler {
  /** Concurrent writers of the same policy are rare; a few rounds settle them. */
  private static final int ATTEMPTS = 8;

  private final ProjectPolicies policies;

  public RoleBindingReconciler(ProjectPolicies policies) {
    this.policies = policies;
  }

  /** CREATED when this call granted any of the roles, ADOPTED when the member had them all. */
  public Ensured ensure(String project, String member, List<String> roles) {
    boolean granted =
        update(
            project, "granting " + roles + " to " + member, policy -> grant(policy, member, roles));
    return granted ? Ensured.CREATED : Ensured.ADOPTED;
  }

  /** Revokes the roles unless {@code keepReason} (the member's) says they must stay. */
  public Deletion remove(
      String project, String member, List<String> roles, Optional<String> keepReason) {
    if (keepReason.isPresent()) {
      return Deletion.kept(keepReason.get());
    }
    update(
        project, "revoking " + roles + " from " + member, policy -> revoke(policy, member, roles));
    return Deletion.DELETED;
  }

  /** Returns whether the policy changed. */
  private boolean update(String project, String doing, UnaryOperator<Policy> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        Policy current = policies.get(project);
        Policy wanted = change.apply(current);
        if (wanted.equals(current)) {
          return false;
        }
        policies.set(project, wanted);
        return true;
      } catch (ApiException e) {
        // A write with a stale etag: ABORTED ("concurrent policy changes"), sometimes
        // FAILED_PRECONDITION.
        StatusCode.Code code = CloudErrors.code(e);
        boolean staleEtag =
            code == StatusCode.Code.ABORTED || code == StatusCode.Code.FAILED_PRECONDITION;
        if (!staleEtag || attempt >= ATTEMPTS) {
          throw CloudErrors.translate(doing + " on project " + project, e);
        }
        pause(attempt);
      }
    }
  }

  static Policy grant(Policy policy, String member, List<String> roles) {
    List<Binding> bindings = new ArrayList<>(policy.getBindingsList());
    for (String role : roles) {
      int index = unconditionalBinding(bindings, role);
      if (index < 0) {
        bindings.add(Binding.newBuilder().setRole(role).addMembers(member).build());
      } else if (!bindings.get(index).getMembersList().contains(member)) {
        bindings.set(index, bindings.get(index).toBuilder().addMembers(member).build());
      }
    }
    return policy.toBuilder().clearBindings().addAllBindings(bindings).build();
  }

  static Policy revoke(Policy policy, String member, List<String> roles) {
    List<Binding> bindings = new ArrayList<>();
    for (Binding binding : policy.getBindingsList()) {
      if (!roles.contains(binding.getRole()) || binding.hasCondition()) {
        bindings.add(binding);
        continue;
      }
      List<String> members = new ArrayList<>(binding.getMembersList());
      members.remove(member);
      if (!members.isEmpty()) {
        bindings.add(binding.toBuilder().clearMembers().addAllMembers(members).build());
      }
    }
    return policy.toBuilder().clearBindings().addAllBindings(bindings).build();
  }

  private static int unconditionalBinding(List<Binding> bindings, String role) {
    for (int i = 0; i < bindings.size(); i++) {
      if (bindings.get(i).getRole().equals(role) && !bindings.get(i).hasCondition()) {
        return i;
      }
    }
    return -1;
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(100L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while updating a project policy", e);
    }
  }
}
