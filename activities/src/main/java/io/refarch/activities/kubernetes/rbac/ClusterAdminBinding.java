package io.refarch.activities.kubernetes.rbac;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.refarch.activities.Differences;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code kubectl create clusterrolebinding cluster-admin-binding --clusterrole=cluster-admin
 * --user=USER}: lets the installing user create RBAC rules of their own.
 */
public final class ClusterAdminBinding {
  public static final String NAME = "cluster-admin-binding";
  private static final String RBAC = "rbac.authorization.k8s.io";

  private ClusterAdminBinding() {}

  static ClusterRoleBinding wanted(String user) {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(NAME)
        .endMetadata()
        .withRoleRef(new RoleRef(RBAC, "ClusterRole", "cluster-admin"))
        .withSubjects(new Subject(RBAC, "User", user, null))
        .build();
  }

  public static void ensure(KubernetesClient client, String user) {
    ClusterRoleBinding wanted = wanted(user);
    ClusterRoleBinding existing = client.rbac().clusterRoleBindings().withName(NAME).get();
    if (existing == null) {
      client.rbac().clusterRoleBindings().resource(wanted).create();
      return;
    }
    new Differences("ClusterRoleBinding " + NAME)
        .compare("roleRef", describe(existing.getRoleRef()), describe(wanted.getRoleRef()))
        .compare("subjects", describe(existing.getSubjects()), describe(wanted.getSubjects()))
        .failIfAny();
  }

  public static void delete(KubernetesClient client) {
    client.rbac().clusterRoleBindings().withName(NAME).delete();
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
