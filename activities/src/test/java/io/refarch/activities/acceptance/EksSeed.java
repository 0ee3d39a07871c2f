package io.refarch.activities.acceptance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * What provisioning {@code examples/eks.yaml} must do to the sandbox's AWS, written out by hand
 * from the 002 seed's procedure ({@code eksctl create cluster --without-nodegroup}, {@code kubectl
 * delete daemonset aws-node}, the tigera operator and its Installation, {@code eksctl create
 * nodegroup}, then the cluster-admin binding and the node check), so that any change of order or
 * any extra create fails a test.
 */
final class EksSeed {
  private EksSeed() {}

  static final List<String> POOLS = List.of("services", "workspaces");

  /** What eksctl's VPC stack makes: one VPC, three public and three private subnets, one NAT. */
  static final List<String> NETWORK =
      List.of(
          "CreateVpc",
          "ModifyVpcAttribute",
          "ModifyVpcAttribute",
          "CreateInternetGateway",
          "AttachInternetGateway",
          "CreateSubnet",
          "ModifySubnetAttribute",
          "CreateSubnet",
          "ModifySubnetAttribute",
          "CreateSubnet",
          "ModifySubnetAttribute",
          "CreateSubnet",
          "CreateSubnet",
          "CreateSubnet",
          "CreateRouteTable",
          "CreateRoute",
          "AssociateRouteTable",
          "AssociateRouteTable",
          "AssociateRouteTable",
          "AllocateAddress",
          "CreateNatGateway",
          "CreateRouteTable",
          "CreateRoute",
          "AssociateRouteTable",
          "CreateRouteTable",
          "CreateRoute",
          "AssociateRouteTable",
          "CreateRouteTable",
          "CreateRoute",
          "AssociateRouteTable",
          "CreateSecurityGroup");

  /** The control plane's and the nodes' roles, with the seed's attachPolicyARNs on the nodes'. */
  static final List<String> ROLES =
      List.of(
          "CreateRole gitpod-cluster",
          "AttachRolePolicy gitpod-cluster",
          "CreateRole gitpod-nodes",
          "AttachRolePolicy gitpod-nodes",
          "AttachRolePolicy gitpod-nodes",
          "AttachRolePolicy gitpod-nodes",
          "AttachRolePolicy gitpod-nodes",
          "AttachRolePolicy gitpod-nodes");

  /**
   * The control plane; the clusterAdmin's access entry comes with it (without one the principal
   * cannot authenticate to the cluster at all), its cluster-admin binding at the end.
   */
  static final List<String> CONTROL_PLANE =
      List.of("CreateCluster", "CreateAccessEntry", "AssociateAccessPolicy");

  /**
   * withOIDC, then each of the seed's serviceAccounts: its IRSA role, then the annotated account.
   */
  static final List<String> IRSA =
      List.of(
          "CreateOpenIDConnectProvider",
          "CreateRole gitpod-aws-load-balancer-controller",
          "PutRolePolicy gitpod-aws-load-balancer-controller",
          "POST /api/v1/namespaces/kube-system/serviceaccounts aws-load-balancer-controller",
          "CreateRole gitpod-ebs-csi-controller-sa",
          "PutRolePolicy gitpod-ebs-csi-controller-sa",
          "POST /api/v1/namespaces/kube-system/serviceaccounts ebs-csi-controller-sa",
          "CreateRole gitpod-cluster-autoscaler",
          "PutRolePolicy gitpod-cluster-autoscaler",
          "POST /api/v1/namespaces/kube-system/serviceaccounts cluster-autoscaler",
          "CreateRole gitpod-cert-manager",
          "PutRolePolicy gitpod-cert-manager",
          "PutRolePolicy gitpod-cert-manager",
          "PutRolePolicy gitpod-cert-manager",
          "POST /api/v1/namespaces cert-manager",
          "POST /api/v1/namespaces/cert-manager/serviceaccounts cert-manager");

  /** The seed's kubectl steps between control plane and node groups: Calico instead of aws-node. */
  static final List<String> CALICO =
      List.of(
          "DELETE /apis/apps/v1/namespaces/kube-system/daemonsets/aws-node",
          "POST /api/v1/namespaces tigera-operator",
          "POST /apis/apiextensions.k8s.io/v1/customresourcedefinitions"
              + " installations.operator.tigera.io",
          "POST /api/v1/namespaces/tigera-operator/serviceaccounts tigera-operator",
          "POST /apis/rbac.authorization.k8s.io/v1/clusterroles tigera-operator",
          "POST /apis/rbac.authorization.k8s.io/v1/clusterrolebindings tigera-operator",
          "POST /apis/apps/v1/namespaces/tigera-operator/deployments tigera-operator",
          "POST /apis/operator.tigera.io/v1/installations default");

  /** One node group's creates: its launch template, the group, its Auto Scaling group's tags. */
  static List<String> nodeGroup(String pool) {
    return List.of(
        "CreateLaunchTemplate gitpod-" + pool,
        "CreateNodegroup " + pool,
        "CreateOrUpdateTags " + pool);
  }

  static final List<String> ADMIN =
      List.of("POST /apis/rbac.authorization.k8s.io/v1/clusterrolebindings cluster-admin-binding");

  /**
   * The seed's procedure as requests, the node groups' creates grouped by node group (see {@link
   * #byNodeGroup}).
   */
  static final List<String> MUTATIONS =
      Stream.of(
              NETWORK,
              ROLES,
              CONTROL_PLANE,
              IRSA,
              CALICO,
              POOLS.stream().flatMap(p -> nodeGroup(p).stream()).toList(),
              ADMIN)
          .flatMap(List::stream)
          .toList();

  /**
   * {@code mutations} with the node groups' creates grouped by node group, each group's in the
   * order it made them: the groups are created together, so their requests interleave in any order.
   * The creates must follow one another (nothing else runs meanwhile) or the list is returned as it
   * is, and fails the comparison.
   */
  static List<String> byNodeGroup(List<String> mutations) {
    int[] slice =
        IntStream.range(0, mutations.size()).filter(i -> pool(mutations.get(i)) >= 0).toArray();
    if (slice.length == 0 || slice[slice.length - 1] - slice[0] + 1 != slice.length) {
      return mutations;
    }
    List<String> sorted = new ArrayList<>(mutations);
    List<String> section = new ArrayList<>(sorted.subList(slice[0], slice[slice.length - 1] + 1));
    section.sort(Comparator.comparingInt(EksSeed::pool)); // stable: keeps each group's order
    for (int i = 0; i < section.size(); i++) {
      sorted.set(slice[0] + i, section.get(i));
    }
    return sorted;
  }

  /** The node group a node group's create is for, as its index in {@link #POOLS}, or -1. */
  private static int pool(String mutation) {
    for (int i = 0; i < POOLS.size(); i++) {
      if (nodeGroup(POOLS.get(i)).contains(mutation)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * What a clean run leaves, as {@link #normalized} writes it: ids and addresses AWS picks are
   * stars.
   */
  static final List<String> INVENTORY =
      List.of(
          "ec2 eu-west-1 vpc vpc-* 192.168.0.0/16 (gitpod/vpc)",
          "ec2 eu-west-1 internet-gateway igw-* vpc-* (gitpod/internet-gateway)",
          "ec2 eu-west-1 subnet subnet-* vpc-* eu-west-1a 192.168.0.0/19"
              + " (gitpod/subnet/public/eu-west-1a)",
          "ec2 eu-west-1 subnet subnet-* vpc-* eu-west-1b 192.168.32.0/19"
              + " (gitpod/subnet/public/eu-west-1b)",
          "ec2 eu-west-1 subnet subnet-* vpc-* eu-west-1c 192.168.64.0/19"
              + " (gitpod/subnet/public/eu-west-1c)",
          "ec2 eu-west-1 subnet subnet-* vpc-* eu-west-1a 192.168.96.0/19"
              + " (gitpod/subnet/private/eu-west-1a)",
          "ec2 eu-west-1 subnet subnet-* vpc-* eu-west-1b 192.168.128.0/19"
              + " (gitpod/subnet/private/eu-west-1b)",
          "ec2 eu-west-1 subnet subnet-* vpc-* eu-west-1c 192.168.160.0/19"
              + " (gitpod/subnet/private/eu-west-1c)",
          "ec2 eu-west-1 route-table rtb-* vpc-* (gitpod/route-table/public)",
          "ec2 eu-west-1 route-table rtb-* vpc-* (gitpod/route-table/private/eu-west-1a)",
          "ec2 eu-west-1 route-table rtb-* vpc-* (gitpod/route-table/private/eu-west-1b)",
          "ec2 eu-west-1 route-table rtb-* vpc-* (gitpod/route-table/private/eu-west-1c)",
          "ec2 eu-west-1 address eipalloc-* 203.0.113.* (gitpod/elastic-ip/eu-west-1a)",
          "ec2 eu-west-1 nat-gateway nat-* subnet-* available (gitpod/nat-gateway/eu-west-1a)",
          "ec2 eu-west-1 security-group sg-* vpc-* gitpod-control-plane"
              + " (gitpod/security-group/control-plane)",
          "iam role gitpod-cluster",
          "iam role gitpod-cluster attached arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
          "iam role gitpod-nodes",
          "iam role gitpod-nodes attached arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
          "iam role gitpod-nodes attached arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
          "iam role gitpod-nodes attached arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
          "iam role gitpod-nodes attached arn:aws:iam::aws:policy/ElasticLoadBalancingFullAccess",
          "iam role gitpod-nodes attached arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
          "eks eu-west-1 cluster gitpod ACTIVE 1.22",
          // The creator's entry is EKS's own (bootstrapClusterCreatorAdminPermissions).
          "eks eu-west-1 access-entry gitpod arn:aws:iam::000000000000:user/AKIAREFARCHSANDBOX00",
          "eks eu-west-1 access-entry gitpod arn:aws:iam::123456789012:user/you",
          "iam oidc-provider arn:aws:iam::000000000000:oidc-provider/"
              + "oidc.eks.eu-west-1.amazonaws.com/id/*",
          "iam role gitpod-aws-load-balancer-controller",
          "iam role gitpod-aws-load-balancer-controller inline PolicyAWSLoadBalancerController",
          "iam role gitpod-ebs-csi-controller-sa",
          "iam role gitpod-ebs-csi-controller-sa inline PolicyEBSCSIController",
          "iam role gitpod-cluster-autoscaler",
          "iam role gitpod-cluster-autoscaler inline PolicyAutoScaling",
          "iam role gitpod-cert-manager",
          "iam role gitpod-cert-manager inline PolicyCertManagerChangeSet",
          "iam role gitpod-cert-manager inline PolicyCertManagerGetChange",
          "iam role gitpod-cert-manager inline PolicyCertManagerHostedZones",
          // What EKS installs in a new cluster and the seed keeps (aws-node it deletes).
          "k8s gitpod kube-system/daemonsets/kube-proxy",
          "k8s gitpod kube-system/deployments/coredns",
          "k8s gitpod kube-system/serviceaccounts/aws-load-balancer-controller",
          "k8s gitpod kube-system/serviceaccounts/ebs-csi-controller-sa",
          "k8s gitpod kube-system/serviceaccounts/cluster-autoscaler",
          "k8s gitpod namespaces/cert-manager",
          "k8s gitpod cert-manager/serviceaccounts/cert-manager",
          "k8s gitpod namespaces/tigera-operator",
          "k8s gitpod customresourcedefinitions/installations.operator.tigera.io",
          "k8s gitpod tigera-operator/serviceaccounts/tigera-operator",
          "k8s gitpod clusterroles/tigera-operator",
          "k8s gitpod clusterrolebindings/tigera-operator",
          "k8s gitpod tigera-operator/deployments/tigera-operator",
          "k8s gitpod installations/default",
          // the operator's report once nodes run Calico (the sandbox's stand-in for it)
          "k8s gitpod tigerastatuses/calico",
          "ec2 eu-west-1 launch-template lt-* gitpod-services",
          "ec2 eu-west-1 launch-template lt-* gitpod-workspaces",
          "eks eu-west-1 nodegroup gitpod/services ACTIVE",
          "eks eu-west-1 nodegroup gitpod/workspaces ACTIVE",
          "k8s gitpod clusterrolebindings/cluster-admin-binding");

  private static final Pattern AWS_ID =
      Pattern.compile("\\b(vpc|subnet|igw|rtb|nat|eipalloc|sg|lt)-[0-9a-f]{8,}");

  /** An inventory with the ids and addresses AWS picks as stars, so two runs compare. */
  static List<String> normalized(List<String> inventory) {
    return inventory.stream()
        .map(l -> AWS_ID.matcher(l).replaceAll("$1-*"))
        .map(l -> l.replaceAll("203\\.0\\.113\\.\\d+", "203.0.113.*"))
        .map(l -> l.replaceAll("/id/[0-9A-F]+", "/id/*"))
        .toList();
  }

  /** The resources a run creates, in the order it creates them (as the outcome names them). */
  static final List<String> CREATES_IN_ORDER =
      List.of(
          "vpc/gitpod",
          "iam-role/gitpod-cluster",
          "iam-role/gitpod-nodes",
          "eks-cluster/gitpod",
          "oidc-provider/gitpod",
          "iam-role/gitpod-aws-load-balancer-controller",
          "iam-role/gitpod-ebs-csi-controller-sa",
          "iam-role/gitpod-cluster-autoscaler",
          "iam-role/gitpod-cert-manager",
          "nodegroup/services",
          "nodegroup/workspaces");

  /**
   * Deletes as the outcome lists them, newest first, with the two node groups (deleted together, in
   * either order) as {@link #CREATES_IN_ORDER} has them reversed: workspaces, then services.
   */
  static List<String> byNodeGroupDeletes(List<String> deleted) {
    List<String> sorted = new ArrayList<>(deleted);
    int first = sorted.indexOf("nodegroup/services");
    int second = sorted.indexOf("nodegroup/workspaces");
    if (first >= 0 && second >= 0 && Math.abs(first - second) == 1) {
      sorted.set(Math.min(first, second), "nodegroup/workspaces");
      sorted.set(Math.max(first, second), "nodegroup/services");
    }
    return sorted;
  }

  /**
   * A teardown's deletes, newest first; what is inside the cluster (service accounts, Calico, the
   * cluster-admin binding) dies with it, so teardown does not call the cluster's API.
   */
  static final List<String> DELETES_IN_ORDER =
      List.of(
          "nodegroup/workspaces",
          "nodegroup/services",
          "iam-role/gitpod-cert-manager",
          "iam-role/gitpod-cluster-autoscaler",
          "iam-role/gitpod-ebs-csi-controller-sa",
          "iam-role/gitpod-aws-load-balancer-controller",
          "oidc-provider/gitpod",
          "eks-cluster/gitpod",
          "iam-role/gitpod-nodes",
          "iam-role/gitpod-cluster",
          "vpc/gitpod");
}
