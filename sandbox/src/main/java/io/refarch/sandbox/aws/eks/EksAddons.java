package io.refarch.sandbox.aws.eks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.kube.KubeResource;
import io.refarch.sandbox.kube.KubeStore;

/**
 * The networking add-ons a new EKS cluster starts with unless CreateCluster says {@code
 * bootstrapSelfManagedAddons: false}: the VPC CNI ({@code aws-node}), {@code kube-proxy} and
 * CoreDNS in kube-system. They are there so that what the seed does to them works as on EKS: its
 * {@code kubectl delete daemonset -n kube-system aws-node} is answered NotFound on a cluster
 * without it. Only the objects: the sandbox runs no pods.
 */
final class EksAddons {

  private EksAddons() {}

  static void bootstrap(KubeStore store, String region, String kubernetesVersion) {
    String registry = "602401143452.dkr.ecr." + region + ".amazonaws.com/";
    KubeResource daemonSets = KubeResource.find("apps", "v1", "daemonsets").orElseThrow();
    KubeResource deployments = KubeResource.find("apps", "v1", "deployments").orElseThrow();
    store.create(
        daemonSets,
        "kube-system",
        workload("aws-node", "aws-vpc-cni", registry + "amazon-k8s-cni:v1.12.6-eksbuild.2"));
    store.create(
        daemonSets,
        "kube-system",
        workload(
            "kube-proxy",
            "kube-proxy",
            registry + "eks/kube-proxy:v" + kubernetesVersion + ".0-eksbuild.1"));
    ObjectNode coreDns =
        workload("coredns", "kube-dns", registry + "eks/coredns:v1.8.7-eksbuild.3");
    ((ObjectNode) coreDns.path("spec")).put("replicas", 2);
    store.create(deployments, "kube-system", coreDns);
  }

  /** A DaemonSet or Deployment of one container, labelled {@code k8s-app} as EKS labels them. */
  private static ObjectNode workload(String name, String app, String image) {
    ObjectNode object = Json.object();
    ObjectNode metadata = object.putObject("metadata").put("name", name);
    metadata.putObject("labels").put("k8s-app", app);
    ObjectNode spec = object.putObject("spec");
    spec.putObject("selector").putObject("matchLabels").put("k8s-app", app);
    ObjectNode template = spec.putObject("template");
    template.putObject("metadata").putObject("labels").put("k8s-app", app);
    template
        .putObject("spec")
        .putArray("containers")
        .addObject()
        .put("name", name)
        .put("image", image);
    return object;
  }

  /**
   * What the tigera operator reports once nodes run Calico: {@code TigeraStatus} calico with
   * Available True. The sandbox runs no operator; a node group that joins on Calico stands for its
   * DaemonSet coming up.
   */
  static void calicoRunsOnNodes(KubeStore store, java.time.Instant at) {
    KubeResource statuses =
        KubeResource.find("operator.tigera.io", "v1", "tigerastatuses").orElseThrow();
    if (store.get(statuses, null, "calico").isPresent()) {
      return;
    }
    ObjectNode status = Json.object();
    status.putObject("metadata").put("name", "calico");
    status.putObject("spec");
    ObjectNode available = status.putObject("status").putArray("conditions").addObject();
    available
        .put("type", "Available")
        .put("status", "True")
        .put("reason", "AllObjectsAvailable")
        .put("message", "All Objects Available")
        .put(
            "lastTransitionTime", at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    store.create(statuses, null, status);
  }
}
