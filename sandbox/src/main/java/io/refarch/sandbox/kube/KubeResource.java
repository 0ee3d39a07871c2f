package io.refarch.sandbox.kube;

import java.util.List;
import java.util.Optional;

/** A resource type the emulated Kubernetes API serves, as its discovery documents describe it. */
public record KubeResource(
    String group,
    String version,
    String kind,
    String plural,
    boolean namespaced,
    List<String> shortNames) {

  /**
   * Built in: what refarch, kubectl and the Calico manifests touch. CRDs add their own types at run
   * time.
   */
  public static final List<KubeResource> ALL =
      List.of(
          new KubeResource("", "v1", "Namespace", "namespaces", false, List.of("ns")),
          new KubeResource("", "v1", "Node", "nodes", false, List.of("no")),
          new KubeResource("", "v1", "Pod", "pods", true, List.of("po")),
          new KubeResource("", "v1", "Service", "services", true, List.of("svc")),
          new KubeResource("", "v1", "ConfigMap", "configmaps", true, List.of("cm")),
          new KubeResource("", "v1", "Secret", "secrets", true, List.of()),
          new KubeResource("", "v1", "ServiceAccount", "serviceaccounts", true, List.of("sa")),
          new KubeResource("apps", "v1", "Deployment", "deployments", true, List.of("deploy")),
          new KubeResource("apps", "v1", "DaemonSet", "daemonsets", true, List.of("ds")),
          new KubeResource("apps", "v1", "StatefulSet", "statefulsets", true, List.of("sts")),
          new KubeResource("apps", "v1", "ReplicaSet", "replicasets", true, List.of("rs")),
          new KubeResource(
              "rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, List.of()),
          new KubeResource(
              "rbac.authorization.k8s.io",
              "v1",
              "ClusterRoleBinding",
              "clusterrolebindings",
              false,
              List.of()),
          new KubeResource("rbac.authorization.k8s.io", "v1", "Role", "roles", true, List.of()),
          new KubeResource(
              "rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, List.of()),
          new KubeResource(
              "apiextensions.k8s.io",
              "v1",
              "CustomResourceDefinition",
              "customresourcedefinitions",
              false,
              List.of("crd", "crds")),
          new KubeResource(
              "storage.k8s.io", "v1", "StorageClass", "storageclasses", false, List.of("sc")),
          new KubeResource("batch", "v1", "Job", "jobs", true, List.of()),
          new KubeResource(
              "policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, List.of("pdb")),
          new KubeResource(
              "scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", false, List.of("pc")),
          new KubeResource(
              "networking.k8s.io",
              "v1",
              "NetworkPolicy",
              "networkpolicies",
              true,
              List.of("netpol")),
          new KubeResource(
              "admissionregistration.k8s.io",
              "v1",
              "ValidatingWebhookConfiguration",
              "validatingwebhookconfigurations",
              false,
              List.of()),
          new KubeResource(
              "admissionregistration.k8s.io",
              "v1",
              "MutatingWebhookConfiguration",
              "mutatingwebhookconfigurations",
              false,
              List.of()),
          new KubeResource(
              "operator.tigera.io", "v1", "Installation", "installations", false, List.of()),
          new KubeResource("operator.tigera.io", "v1", "APIServer", "apiservers", false, List.of()),
          new KubeResource(
              "operator.tigera.io", "v1", "TigeraStatus", "tigerastatuses", false, List.of()));

  public static Optional<KubeResource> find(String group, String version, String plural) {
    return ALL.stream()
        .filter(r -> r.group.equals(group) && r.version.equals(version) && r.plural.equals(plural))
        .findFirst();
  }

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /**
   * "clusterrolebindings.rbac.authorization.k8s.io", as Kubernetes names a resource in messages.
   */
  public String qualifiedName() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  public String singular() {
    return kind.toLowerCase();
  }
}
