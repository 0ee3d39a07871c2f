package io.refarch.activities.eks.iam;

import io.refarch.activities.Caller;
import io.refarch.activities.Failures;
import io.refarch.activities.eks.AwsErrors;
import io.refarch.activities.eks.Ownership;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.FailureTypes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * An IAM role refarch makes (the cluster role, the node role, one per IRSA service account): found
 * by name, created with its trust policy and tags, then given its managed and inline policies. A
 * role of that name that refarch did not make for the cluster, or that trusts someone else, is
 * never changed: that is a spec mismatch.
 */
public final class RoleReconciler {
  private final IamClient iam;

  public RoleReconciler(IamClient iam) {
    this.iam = iam;
  }

  /**
   * What a role should be.
   *
   * @param inlinePolicies policy name to document
   */
  public record RoleSpec(
      String name,
      String description,
      String trustPolicy,
      List<String> managedPolicyArns,
      Map<String, String> inlinePolicies,
      Map<String, String> tags) {}

  /** Creates or adopts the role; returns its ARN. */
  public String ensure(RoleSpec wanted, String cluster) {
    String doing = "creating IAM role " + wanted.name();
    try {
      Role role = find(wanted.name()).orElse(null);
      if (role == null) {
        try {
          role =
              iam.createRole(
                      r ->
                          r.roleName(wanted.name())
                              .description(wanted.description())
                              .assumeRolePolicyDocument(wanted.trustPolicy())
                              .tags(tags(wanted.tags())))
                  .role();
        } catch (SdkException e) {
          if (!AwsErrors.isAlreadyExists(e)) {
            throw e;
          }
          role = find(wanted.name()).orElseThrow(() -> e);
          checkAdoptable(role, wanted, cluster);
        }
      } else {
        checkAdoptable(role, wanted, cluster);
      }
      Set<String> attached =
          iam
              .listAttachedRolePoliciesPaginator(r -> r.roleName(wanted.name()))
              .attachedPolicies()
              .stream()
              .map(AttachedPolicy::policyArn)
              .collect(Collectors.toSet());
      for (String arn : wanted.managedPolicyArns()) {
        if (!attached.contains(arn)) {
          iam.attachRolePolicy(r -> r.roleName(wanted.name()).policyArn(arn));
        }
      }
      // PutRolePolicy replaces a policy of the same name: writing it again is harmless.
      wanted
          .inlinePolicies()
          .forEach(
              (name, document) ->
                  iam.putRolePolicy(
                      r -> r.roleName(wanted.name()).policyName(name).policyDocument(document)));
      return role.arn();
    } catch (SdkException e) {
      throw AwsErrors.translate(doing, e);
    }
  }

  /** Deletes the role if the caller may: its policies first, as IAM requires. */
  public Deletion delete(String name, String cluster, Caller caller) {
    String doing = "deleting IAM role " + name;
    try {
      if (find(name).isEmpty()) {
        return Deletion.DELETED;
      }
      Optional<String> keep = Ownership.keepReason(tags(name), cluster, caller);
      if (keep.isPresent()) {
        return Deletion.kept("IAM role " + name + ": " + keep.get());
      }
      for (AttachedPolicy p :
          iam.listAttachedRolePoliciesPaginator(r -> r.roleName(name)).attachedPolicies()) {
        iam.detachRolePolicy(r -> r.roleName(name).policyArn(p.policyArn()));
      }
      for (String policy : iam.listRolePoliciesPaginator(r -> r.roleName(name)).policyNames()) {
        iam.deleteRolePolicy(r -> r.roleName(name).policyName(policy));
      }
      iam.deleteRole(r -> r.roleName(name));
      return Deletion.DELETED;
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        return Deletion.DELETED;
      }
      throw AwsErrors.translate(doing, e);
    }
  }

  private void checkAdoptable(Role role, RoleSpec wanted, String cluster) {
    Map<String, String> tags = tags(role.roleName());
    if (!Ownership.madeFor(tags, cluster)) {
      throw Failures.permanent(
          FailureTypes.SPEC_MISMATCH,
          "IAM role "
              + role.roleName()
              + " exists but was not made by refarch for cluster "
              + cluster
              + " (no "
              + Ownership.CLUSTER
              + " tag): refarch leaves it alone. Delete or rename it, or choose another cluster"
              + " name");
    }
    if (role.assumeRolePolicyDocument() != null
        && !PolicyDocuments.same(role.assumeRolePolicyDocument(), wanted.trustPolicy())) {
      throw Failures.permanent(
          FailureTypes.SPEC_MISMATCH,
          "IAM role "
              + role.roleName()
              + " trusts other principals than the spec asks: "
              + PolicyDocuments.decode(role.assumeRolePolicyDocument()));
    }
  }

  private Optional<Role> find(String name) {
    try {
      return Optional.of(iam.getRole(r -> r.roleName(name)).role());
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private Map<String, String> tags(String roleName) {
    Map<String, String> tags = new LinkedHashMap<>();
    iam.listRoleTags(r -> r.roleName(roleName)).tags().forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }

  static List<Tag> tags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
        .toList();
  }
}
