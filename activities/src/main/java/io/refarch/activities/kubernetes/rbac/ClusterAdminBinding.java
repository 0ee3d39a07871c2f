package io.refarch.activities.kubernetes.rbac;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.refarch.activities.Caller;
import io.refarch.activities.Differences;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code kubectl create clusterrolebinding cluster-admin-binding --clusterrole=cluster-admin
 * --user=USER}: lets the installing user create RBAC rules of their own. The binding refarch
 * creates is labelled with the run that made it: only that run's compensation deletes it.
 */
public final class ClusterAdminBinding {
  public static final String NAME = "cluster-admin-binding";
  private static final String RBAC = "rbac.authorization.k8s.io";

  /** The run that created the binding (a Temporal run id fits a label value). */
  public static final String RUN_LABEL = "refarch.io/run";

  private ClusterAdminBinding() {}

  static ClusterRoleBinding wanted(String user, Caller caller) {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(NAME)
        .withLabels(Map.of(RUN_LABEL, caller.runId()))
        .endMetadata()
        .withRoleRef(new RoleRef(RBAC, "ClusterRole", "cluster-admin"))
        .withSubjects(new Subject(RBAC, "User", user, null))
        .build();
  }

  /** Creates the binding, or adopts an equal one: CREATED only if this run made it. */
  public static Ensured ensure(KubernetesClient client, String user, Caller caller) {
    ClusterRoleBinding wanted = wanted(user, caller);
    ClusterRoleBinding existing = client.rbac().clusterRoleBindings().withName(NAME).get();
    if (existing == null) {
      client.rbac().clusterRoleBindings().resource(wanted).create();
      return Ensured.CREATED;
    }
    new Differences("ClusterRoleBinding " + NAME)
        .compare("roleRef", describe(existing.getRoleRef()), describe(wanted.getRoleRef()))
        .compare("subjects", describe(existing.getSubjects()), describe(wanted.getSubjects()))
        .failIfAny();
    return madeBy(existing, caller) ? Ensured.CREATED : Ensured.ADOPTED;
  }

  /** Deletes the binding if {@code caller}'s run made it; a binding found existing stays. */
  public static Deletion delete(KubernetesClient client, Caller caller) {
    ClusterRoleBinding existing = client.rbac().clusterRoleBindings().withName(NAME).get();
    if (existing == null) {
      return Deletion.DELETED;
    }
    if (!madeBy(existing, caller)) {
      return Deletion.kept(
          "existed before this run (adopted); a failed run deletes only what it made");
    }
    client.rbac().clusterRoleBindings().withName(NAME).delete();
    return Deletion.DELETED;
  }

  private static boolean madeBy(ClusterRoleBinding binding, Caller caller) {
    Map<String, String> labels = binding.getMetadata().getLabels();
    return labels != null && caller.runId().equals(labels.get(RUN_LABEL));
  }

  private static String describe(RoleRef ref) {
    return ref == null ? "none" : ref.getKind() + " " + ref.getName();
  }

  private static String describe(List<Subject> subjects) {
    return subjects == null
        ? "[]"
        : subjects.stream()
            .map(s -> s.getKind() + " " + s.getName())
            .sorted()
            .collect(Collectors.joining(", ", "[", "]"));
  }
}
