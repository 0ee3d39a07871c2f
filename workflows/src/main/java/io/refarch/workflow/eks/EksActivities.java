package io.refarch.workflow.eks;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.kubernetes.KubeconfigRef;
import io.temporal.activity.ActivityInterface;

/**
 * AWS side effects of the EKS procedure (eksctl's order), one ensure/delete pair per resource. A
 * delete returns what it kept and why (a resource not tagged as this cluster's, adopted or shared),
 * which the run's outcome lists.
 */
@ActivityInterface(namePrefix = "Eks")
public interface EksActivities {

  /**
   * Reads, changes nothing: the credentials, the Kubernetes version, the cluster name, the vCPU and
   * Elastic IP quotas. Returns the report when every check passed; throws the non-retryable {@code
   * PreflightFailed} naming each failed check (the report as its details) when one fails.
   */
  PreflightReport preflight(ClusterSpec spec);

  /** VPC, public and private subnets per zone, internet gateway, NAT, routes (as eksctl does). */
  NetworkRef ensureNetwork(ClusterSpec spec);

  Deletion deleteNetwork(ClusterSpec spec);

  /** The control plane's IAM role; returns its ARN. */
  String ensureClusterRole(ClusterSpec spec);

  Deletion deleteClusterRole(ClusterSpec spec);

  /** The node groups' IAM role with the spec's node policies; returns its ARN. */
  String ensureNodeRole(ClusterSpec spec);

  Deletion deleteNodeRole(ClusterSpec spec);

  /** {@code eksctl create cluster --without-nodegroup}: the control plane only. */
  void ensureControlPlane(ClusterSpec spec, NetworkRef network, String clusterRoleArn);

  Deletion deleteControlPlane(ClusterSpec spec);

  /** The cluster's IAM OIDC provider (eksctl's iam.withOIDC). */
  void ensureOidcProvider(ClusterSpec spec);

  Deletion deleteOidcProvider(ClusterSpec spec);

  /** The IAM role of one IRSA service account; returns its ARN. */
  String ensureServiceAccountRole(ClusterSpec spec, String serviceAccount);

  Deletion deleteServiceAccountRole(ClusterSpec spec, String serviceAccount);

  /** One managed node group (max pods 110, containerd), after Calico. */
  void ensureNodeGroup(ClusterSpec spec, String pool, NetworkRef network, String nodeRoleArn);

  Deletion deleteNodeGroup(ClusterSpec spec, String pool);

  KubeconfigRef writeKubeconfig(ClusterSpec spec);

  void deleteKubeconfig(ClusterSpec spec);
}
