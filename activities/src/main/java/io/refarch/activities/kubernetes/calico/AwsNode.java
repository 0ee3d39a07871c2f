package io.refarch.activities.kubernetes.calico;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * {@code kubectl delete daemonset -n kube-system aws-node}: the AWS VPC CNI gives way to Calico.
 */
public final class AwsNode {
  private AwsNode() {}

  public static void delete(KubernetesClient client) {
    client.apps().daemonSets().inNamespace("kube-system").withName("aws-node").delete();
  }
}
