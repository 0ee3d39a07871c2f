package io.refarch.sandbox.aws.eks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.kube.KubeResource;
import io.refarch.sandbox.kube.KubeStore;
import java.util.Map;

/**
 * What a new EKS cluster's API holds before anyone touches it: the add-ons EKS installs in {@code
 * kube-system} (the VPC CNI's {@code aws-node} and {@code kube-proxy} DaemonSets, the {@code
 * coredns} Deployment). The seed deletes {@code aws-node} for Calico; whether it is still there
 * when nodes join decides their max pods ({@link EksNodes#podNetwork}).
 */
final class EksSystem {
  private EksSystem() {}

  static final String NAMESPACE = "kube-system";
  static final String AWS_NODE = "aws-node";

  static final KubeResource DAEMON_SETS = resource("apps", "v1", "daemonsets");
  static final KubeResource DEPLOYMENTS = resource("apps", "v1", "deployments");
  static final KubeResource INSTALLATIONS = resource("operator.tigera.io", "v1", "installations");

  /** A store holding the add-ons of a cluster of {@code version} ("1.22"). */
  static KubeStore newStore(String version) {
    KubeStore store = new KubeStore();
    store.create(
        DAEMON_SETS,
        NAMESPACE,
        workload(
            AWS_NODE,
            Map.of("k8s-app", AWS_NODE),
            "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.18.5-eksbuild.1"));
    store.create(
        DAEMON_SETS,
        NAMESPACE,
        workload(
            "kube-proxy",
            Map.of("k8s-app", "kube-proxy"),
            "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v"
                + version
                + ".0-eksbuild.1"));
    store.create(
        DEPLOYMENTS,
        NAMESPACE,
        workload(
            "coredns",
            Map.of("k8s-app", "kube-dns", "eks.amazonaws.com/component", "coredns"),
            "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/coredns:v1.11.3-eksbuild.1"));
    return store;
  }

  private static ObjectNode workload(String name, Map<String, String> labels, String image) {
    ObjectNode object = Json.object();
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", name);
    labels.forEach(metadata.putObject("labels")::put);
    ObjectNode spec = object.putObject("spec");
    labels.forEach(spec.putObject("selector").putObject("matchLabels")::put);
    ObjectNode template = spec.putObject("template");
    labels.forEach(template.putObject("metadata").putObject("labels")::put);
    template
        .putObject("spec")
        .putArray("containers")
        .addObject()
        .put("name", name)
        .put("image", image);
    return object;
  }

  private static KubeResource resource(String group, String version, String plural) {
    return KubeResource.find(group, version, plural)
        .orElseThrow(() -> new IllegalStateException("the sandbox lacks " + plural));
  }
}
