package io.refarch.workflow.eks;

import io.refarch.spec.AwsOptions;
import io.refarch.spec.AwsOptions.IrsaServiceAccount;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.NodePool;
import io.refarch.workflow.Procedure;
import io.refarch.workflow.Step;
import io.refarch.workflow.Steps;
import io.refarch.workflow.Steps.Creation;
import io.refarch.workflow.Versions;
import io.refarch.workflow.kubernetes.ClusterAccess;
import io.refarch.workflow.kubernetes.ClusterRef;
import io.refarch.workflow.kubernetes.KubeconfigRef;
import io.refarch.workflow.kubernetes.KubernetesActivities;
import java.util.ArrayList;
import java.util.List;

/**
 * The AWS section, in eksctl's order: the control plane without node groups, then Calico in place
 * of the AWS VPC CNI, then the node groups (together, as eksctl makes them), so nodes come up with
 * 110 pods.
 */
public final class EksProcedure implements Procedure {
  private final EksActivities eks;
  private final KubernetesActivities kube;

  /**
   * The change that made preflight the first EKS step: runs started before it replay without the
   * step. Its own change id, apart from GKE's {@code preflight-first}.
   */
  public static final String PREFLIGHT_FIRST = "eks-preflight-first";

  public EksProcedure(EksActivities eks, KubernetesActivities kube) {
    this.eks = eks;
    this.kube = kube;
  }

  @Override
  public Provisioned run(ClusterSpec spec, Steps steps) {
    AwsOptions aws = spec.aws();
    String name = spec.name();

    if (steps.version(PREFLIGHT_FIRST, 1) != Versions.BEFORE) {
      // Before anything is created: what would otherwise fail twenty minutes in.
      steps.perform(
          Step.of(
              "Preflight",
              "preflight/" + name,
              "changes nothing: sts.getCallerIdentity; eks.describeClusterVersions offers "
                  + spec.kubernetesVersion()
                  + "; eks.describeCluster "
                  + name
                  + " absent or tagged refarch.io/cluster="
                  + name
                  + "; servicequotas L-1216C47A vCPUs cover the node groups' initial nodes;"
                  + " Elastic IPs for NAT "
                  + spec.network().nat()),
          () -> eks.preflight(spec));
    }

    NetworkRef network =
        steps.create(
            Step.of(
                "Create VPC",
                "vpc/" + name,
                "VPC "
                    + spec.network().vpcCidr()
                    + ", public and private subnets per zone, NAT "
                    + spec.network().nat()),
            () -> eks.ensureNetwork(spec),
            () -> eks.deleteNetwork(spec));
    String clusterRole =
        steps.create(
            Step.of(
                "Create cluster IAM role",
                "iam-role/" + name + "-cluster",
                "iam.createRole for eks.amazonaws.com"),
            () -> eks.ensureClusterRole(spec),
            () -> eks.deleteClusterRole(spec));
    String nodeRole =
        steps.create(
            Step.of(
                "Create node IAM role",
                "iam-role/" + name + "-nodes",
                "iam.createRole for ec2.amazonaws.com with "
                    + String.join(", ", aws.nodePolicies())),
            () -> eks.ensureNodeRole(spec),
            () -> eks.deleteNodeRole(spec));
    steps.create(
        Step.of(
            "Create control plane",
            "eks-cluster/" + name,
            "eks.createCluster "
                + name
                + " version "
                + spec.kubernetesVersion()
                + " without node groups, logging "
                + aws.clusterLogging()),
        () -> eks.ensureControlPlane(spec, network, clusterRole),
        () -> eks.deleteControlPlane(spec));
    if (Boolean.TRUE.equals(aws.withOIDC())) {
      steps.create(
          Step.of(
              "Create OIDC provider",
              "oidc-provider/" + name,
              "iam.createOpenIDConnectProvider for the cluster's issuer"),
          () -> eks.ensureOidcProvider(spec),
          () -> eks.deleteOidcProvider(spec));
    }
    // Runs of this version write no kubeconfig on a worker (see ClusterAccess.NO_KUBECONFIG_STEP);
    // runs started before keep the step, so their histories replay.
    KubeconfigRef kubeconfig = null;
    if (ClusterAccess.writesKubeconfig(steps)) {
      kubeconfig =
          steps.create(
              Step.of(
                  "Write kubeconfig",
                  "kubeconfig/" + name,
                  "eks.describeCluster (endpoint, CA) -> 0600 file on the worker"),
              () -> eks.writeKubeconfig(spec),
              () -> eks.deleteKubeconfig(spec));
    }
    ClusterRef cluster = ClusterRef.of(spec);
    for (IrsaServiceAccount sa : aws.serviceAccounts()) {
      String account = sa.namespace() + "/" + sa.name();
      String roleArn =
          steps.create(
              Step.of(
                  "Create IAM role for " + account,
                  "iam-role/" + name + "-" + sa.name(),
                  "iam.createRole trusted by the OIDC provider for "
                      + account
                      + " with "
                      + sa.wellKnownPolicy()),
              () -> eks.ensureServiceAccountRole(spec, sa.name()),
              () -> eks.deleteServiceAccountRole(spec, sa.name()));
      steps.createInCluster(
          Step.of(
              "Create service account " + account,
              "service-account/" + account,
              "ServiceAccount annotated with its role"),
          () -> kube.ensureServiceAccount(cluster, sa.namespace(), sa.name(), roleArn),
          () -> kube.deleteServiceAccount(cluster, sa.namespace(), sa.name()));
    }
    steps.perform(
        Step.of(
            "Delete aws-node",
            "daemonset/kube-system/aws-node",
            "kubectl delete daemonset -n kube-system aws-node"),
        () -> kube.deleteAwsNode(cluster));
    steps.createInCluster(
        Step.of(
            "Install tigera operator",
            "tigera-operator",
            "apply " + aws.calico().operatorManifest()),
        () -> kube.ensureTigeraOperator(cluster, aws.calico()),
        () -> kube.deleteTigeraOperator(cluster, aws.calico()));
    steps.createInCluster(
        Step.of(
            "Configure Calico",
            "installation/default",
            "Installation default: kubernetesProvider EKS, cni Calico, bgp Disabled"),
        () -> kube.ensureCalicoInstallation(cluster),
        () -> kube.deleteCalicoInstallation(cluster));
    // eksctl creates the node groups in parallel, and EKS builds them independently: the services
    // group no longer waits for the workspaces groups, nor they for it. (EKS runs could not start
    // before this: no EKS activities were registered, so no history holds the sequential order.)
    List<Creation<Void>> nodeGroups = new ArrayList<>();
    for (NodePool pool : spec.nodePools()) {
      nodeGroups.add(
          Creation.of(
              Step.of(
                  "Create node group " + pool.name(),
                  "nodegroup/" + pool.name(),
                  nodeGroupRequest(aws, pool)),
              () -> eks.ensureNodeGroup(spec, pool.name(), network, nodeRole),
              () -> eks.deleteNodeGroup(spec, pool.name())));
    }
    steps.createTogether(nodeGroups);
    return ClusterAccess.bindAdminAndVerifyNodes(spec, steps, kube, kubeconfig);
  }

  private static String nodeGroupRequest(AwsOptions aws, NodePool pool) {
    return "eks.createNodegroup "
        + pool.name()
        + ": "
        + pool.machineType()
        + " "
        + aws.amiFamily()
        + " "
        + pool.minNodes()
        + ".."
        + pool.maxNodes()
        + " desired "
        + pool.initialNodes()
        + ", "
        + pool.diskType()
        + " "
        + pool.diskSizeGb()
        + "GB "
        + pool.diskIops()
        + " IOPS, max pods "
        + pool.maxPods()
        + ", labels "
        + pool.labels();
  }
}
