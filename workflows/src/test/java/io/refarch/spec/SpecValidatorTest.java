package io.refarch.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One case per rule: a preset that passes, one edit, exactly the one message the rule gives. The
 * messages are asserted verbatim because users (and scripts) read them.
 */
class SpecValidatorTest {

  /** preset, expected message, then path/value pairs to edit (a null value removes the key). */
  private static Arguments rule(String preset, String expected, Object... edits) {
    return Arguments.of(preset, expected, edits);
  }

  static Stream<Arguments> commonRules() {
    return Stream.of(
        rule("gke.yaml", "cloud: required; one of gcp, aws, azure", "cloud", null, "gcp", null),
        rule("gke.yaml", "name: required", "name", null),
        rule("eks.yaml", "region: required", "region", null),
        rule("aks.yaml", "kubernetesVersion: required", "kubernetesVersion", null),
        rule("gke.yaml", "clusterAdmin: required", "clusterAdmin", null),
        rule(
            "gke.yaml",
            "heartbeatTimeoutSeconds: must be from 10 to 600",
            "heartbeatTimeoutSeconds",
            9),
        rule(
            "eks.yaml",
            "heartbeatTimeoutSeconds: must be from 10 to 600",
            "heartbeatTimeoutSeconds",
            601),
        rule("gke.yaml", "nodePools: at least one node pool is required", "nodePools", List.of()),
        rule("gke.yaml", "nodePools[0].name: required", "nodePools[0].name", null),
        rule("gke.yaml", "nodePools[0].machineType: required", "nodePools[0].machineType", null),
        rule("gke.yaml", "nodePools[0].minNodes: required", "nodePools[0].minNodes", null),
        rule("gke.yaml", "nodePools[1].maxNodes: required", "nodePools[1].maxNodes", null),
        rule("gke.yaml", "nodePools[0].minNodes (-1) < 0", "nodePools[0].minNodes", -1),
        rule(
            "gke.yaml",
            "nodePools[0].maxNodes (0) < 1",
            "nodePools[0].minNodes",
            0,
            "nodePools[0].maxNodes",
            0,
            "nodePools[0].initialNodes",
            0),
        rule(
            "gke.yaml",
            "nodePools[1].minNodes (51) > maxNodes (50)",
            "nodePools[1].minNodes",
            51,
            "nodePools[1].initialNodes",
            null),
        rule(
            "gke.yaml",
            "nodePools[0].initialNodes (0) < minNodes (1)",
            "nodePools[0].initialNodes",
            0),
        rule(
            "gke.yaml",
            "nodePools[0].initialNodes (5) > maxNodes (4)",
            "nodePools[0].initialNodes",
            5),
        rule(
            "eks.yaml",
            "nodePools[1].name: services is already the name of nodePools[0]",
            "nodePools[1].name",
            "services"),
        rule(
            "gke.yaml",
            "nodePools[1].maxPods (64) < 110, which Gitpod requires on workspace nodes",
            "nodePools[1].maxPods",
            64),
        rule(
            "eks.yaml",
            "nodePools[1].maxPods (100) < 110, which Gitpod requires on workspace nodes",
            "nodePools[1].maxPods",
            100),
        rule(
            "gke.yaml",
            "nodePools[0].labels[\"bad key!\"]: not a valid Kubernetes label key",
            "nodePools[0].labels[\"bad key!\"]",
            "x"),
        rule(
            "gke.yaml",
            "nodePools[0].labels[\"tier\"]: \"front end\" is not a valid Kubernetes label value",
            "nodePools[0].labels[\"tier\"]",
            "front end"),
        rule(
            "gke.yaml",
            "kubernetesVersion: 1.20.15-gke.100 is older than 1.21, the oldest Gitpod supports",
            "kubernetesVersion",
            "1.20.15-gke.100"),
        rule(
            "eks.yaml",
            "kubernetesVersion: 1.19 is older than 1.21, the oldest Gitpod supports",
            "kubernetesVersion",
            "1.19"),
        rule(
            "gke.yaml",
            "zones[1]: us-central1-a is listed twice",
            "zones",
            List.of("us-central1-a", "us-central1-a")),
        rule(
            "gke.yaml",
            "aws: not used on gcp; remove the block",
            "aws",
            Map.of("account", "123456789012")),
        rule(
            "eks.yaml",
            "gcp: not used on aws; remove the block",
            "gcp",
            Map.of("project", "my-project")),
        rule(
            "aks.yaml",
            "aws: not used on azure; remove the block",
            "aws",
            Map.of("withOIDC", true)),
        rule(
            "gke.yaml",
            "azure: not used on gcp; remove the block",
            "azure",
            Map.of("dnsPrefix", "x")),
        rule(
            "gke.yaml",
            "network.vpcCidr: not used on gcp",
            "network",
            Map.of("vpcCidr", "10.0.0.0/16")),
        rule("aks.yaml", "network.nat: not used on azure", "network", Map.of("nat", "Single")),
        rule("eks.yaml", "network.subnetwork: not used on aws", "network.subnetwork", "gitpod"),
        rule("gke.yaml", "nodePools[0].diskIops: not used on gcp", "nodePools[0].diskIops", 3000),
        rule(
            "aks.yaml",
            "nodePools[2].diskThroughput: not used on azure",
            "nodePools[2].diskThroughput",
            200));
  }

  private static final String NOT_AN_ACCOUNT =
      " is not a service account: use default (the project's Compute Engine default account), an account id of gcp.project (6 to 30 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen) or a service account's email (NAME@PROJECT.iam.gserviceaccount.com)";

  static Stream<Arguments> gkeRules() {
    String gkeName =
        "must be at most 40 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen";
    return Stream.of(
        rule("gke.yaml", "name: " + gkeName + " (GKE cluster names)", "name", "Gitpod"),
        rule("gke.yaml", "name: " + gkeName + " (GKE cluster names)", "name", "1gitpod"),
        rule("gke.yaml", "name: " + gkeName + " (GKE cluster names)", "name", "gitpod-"),
        rule("gke.yaml", "name: " + gkeName + " (GKE cluster names)", "name", "a".repeat(41)),
        rule(
            "gke.yaml",
            "nodePools[0].name: " + gkeName + " (GKE node pool names)",
            "nodePools[0].name",
            "Workload_Services"),
        rule(
            "gke.yaml",
            "nodePools[2].name: " + gkeName + " (GKE node pool names)",
            "nodePools[2].name",
            "w".repeat(41)),
        rule("gke.yaml", "gcp.project: required", "gcp.project", null),
        rule(
            "gke.yaml",
            "gcp.project: must be 6 to 30 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen",
            "gcp.project",
            "my_project"),
        rule(
            "gke.yaml",
            "gcp.project: must be 6 to 30 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen",
            "gcp.project",
            "proj"),
        rule(
            "gke.yaml",
            "gcp.project: must be 6 to 30 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen",
            "gcp.project",
            "p".repeat(31)),
        rule(
            "gke.yaml",
            "gcp.serviceAccount: must be 6 to 30 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen",
            "gcp.serviceAccount",
            "gke"),
        rule(
            "gke.yaml",
            "gcp.nodePoolServiceAccount: gke" + NOT_AN_ACCOUNT,
            "gcp.nodePoolServiceAccount",
            "gke"),
        rule(
            "gke.yaml",
            "gcp.nodePoolServiceAccount: Gitpod-GKE" + NOT_AN_ACCOUNT,
            "gcp.nodePoolServiceAccount",
            "Gitpod-GKE"),
        rule(
            "gke.yaml",
            "gcp.nodePoolServiceAccount: dns@example.com" + NOT_AN_ACCOUNT,
            "gcp.nodePoolServiceAccount",
            "dns@example.com"),
        rule("gke.yaml", "region: not a GCP region (like us-central1)", "region", "us-central1-a"),
        rule("gke.yaml", "region: not a GCP region (like us-central1)", "region", "US-CENTRAL1"),
        rule(
            "gke.yaml",
            "zones[0]: us-east1-b is not a zone of us-central1",
            "zones",
            List.of("us-east1-b")),
        rule(
            "gke.yaml",
            "kubernetesVersion: not a GKE version (like 1.22.12-gke.1200 or 1.22)",
            "kubernetesVersion",
            "1.22.12-eks.1"),
        rule(
            "gke.yaml",
            "clusterAdmin: must be the Google account (an email) that gets cluster-admin",
            "clusterAdmin",
            "you"),
        rule(
            "gke.yaml",
            "nodePools[0].machineType: not a Compute Engine machine type (like n2d-standard-4)",
            "nodePools[0].machineType",
            "N2D_STANDARD_4"),
        rule(
            "gke.yaml",
            "nodePools[0].diskType: must be one of pd-standard, pd-balanced, pd-ssd, pd-extreme, hyperdisk-balanced",
            "nodePools[0].diskType",
            "ssd"),
        rule(
            "gke.yaml",
            "nodePools[0].diskSizeGb (5) < 10, the smallest GKE boot disk",
            "nodePools[0].diskSizeGb",
            5),
        rule(
            "gke.yaml",
            "nodePools[0].maxPods (300) must be between 8 and 256 on gcp",
            "nodePools[0].maxPods",
            300),
        rule(
            "gke.yaml",
            "nodePools[0].maxPods (7) must be between 8 and 256 on gcp",
            "nodePools[0].maxPods",
            7),
        rule(
            "gke.yaml",
            "gcp.imageType: COS is not a containerd image; Gitpod needs containerd (UBUNTU_CONTAINERD or COS_CONTAINERD)",
            "gcp.imageType",
            "COS"),
        rule(
            "gke.yaml",
            "gcp.addons[3]: must be one of HttpLoadBalancing, HorizontalPodAutoscaling, NetworkPolicy, NodeLocalDNS, "
                + "ConfigConnector, GcePersistentDiskCsiDriver, GcpFilestoreCsiDriver, GcsFuseCsiDriver, BackupRestore",
            "gcp.addons",
            List.of("HorizontalPodAutoscaling", "NodeLocalDNS", "NetworkPolicy", "Dashboard")),
        rule(
            "gke.yaml",
            "gcp.addons: must include NetworkPolicy when network.networkPolicy is true",
            "gcp.addons",
            List.of("HorizontalPodAutoscaling", "NodeLocalDNS")),
        rule(
            "gke.yaml",
            "gcp.serviceAccountRoles[1]: not a role (like roles/storage.admin)",
            "gcp.serviceAccountRoles",
            List.of("roles/storage.admin", "storage.admin")),
        rule(
            "gke.yaml",
            "nodePools[0].name: default-pool is the name of gcp.defaultPool, which is deleted after the cluster is created",
            "nodePools[0].name",
            "default-pool"),
        rule(
            "gke.yaml",
            "gcp.defaultPool.minNodes (2) > maxNodes (1)",
            "gcp.defaultPool.minNodes",
            2),
        rule(
            "gke.yaml",
            "network.subnetwork: must be at most 63 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen",
            "network.subnetwork",
            "Bad_Subnet"));
  }

  static Stream<Arguments> eksRules() {
    return Stream.of(
        rule("eks.yaml", "aws.account: required", "aws.account", null),
        rule("eks.yaml", "aws.account: must be 12 digits", "aws.account", "12345"),
        rule(
            "eks.yaml",
            "name: must be at most 100 letters, digits, hyphens or underscores and start with a letter or digit (EKS cluster names)",
            "name",
            "-gitpod"),
        rule(
            "eks.yaml",
            "name: must be at most 100 letters, digits, hyphens or underscores and start with a letter or digit (EKS cluster names)",
            "name",
            "g".repeat(101)),
        rule(
            "eks.yaml",
            "nodePools[0].name: must be at most 63 letters, digits, hyphens or underscores and start with a letter or digit (EKS node group names)",
            "nodePools[0].name",
            "s".repeat(64)),
        rule("eks.yaml", "region: not an AWS region (like eu-west-1)", "region", "eu-west"),
        rule(
            "eks.yaml",
            "zones: EKS needs at least two zones, got 1",
            "zones",
            List.of("eu-west-1a")),
        rule(
            "eks.yaml",
            "zones[1]: us-east-1b is not a zone of eu-west-1",
            "zones",
            List.of("eu-west-1a", "us-east-1b")),
        rule(
            "eks.yaml",
            "kubernetesVersion: must be major.minor on EKS (like \"1.22\")",
            "kubernetesVersion",
            "1.22.3"),
        rule(
            "eks.yaml",
            "network.vpcCidr: not an IPv4 CIDR from /16 to /28 (like 192.168.0.0/16)",
            "network.vpcCidr",
            "10.0.0.0/8"),
        rule(
            "eks.yaml",
            "network.vpcCidr: not an IPv4 CIDR from /16 to /28 (like 192.168.0.0/16)",
            "network.vpcCidr",
            "10.0.300.0/16"),
        rule(
            "eks.yaml",
            "network.nat: must be one of Single, HighlyAvailable, Disable",
            "network.nat",
            "single"),
        rule(
            "eks.yaml",
            "network.networkPolicy: must be true on aws (Calico is the cluster's network and enforces policy)",
            "network.networkPolicy",
            false),
        rule(
            "eks.yaml",
            "network: privateAccess and publicAccess cannot both be false",
            "network.privateAccess",
            false,
            "network.publicAccess",
            false),
        rule(
            "eks.yaml",
            "network.publicAccessCidrs[1]: not an IPv4 CIDR (like 203.0.113.0/24): 10.0.0.1/8",
            "network.publicAccessCidrs",
            List.of("203.0.113.0/24", "10.0.0.1/8")),
        rule(
            "eks.yaml",
            "network.publicAccessCidrs: at least one CIDR (0.0.0.0/0 for every address)",
            "network.publicAccessCidrs",
            List.of()),
        rule(
            "eks.yaml",
            "network.publicAccessCidrs: only with publicAccess true; remove it",
            "network.publicAccess",
            false,
            "network.publicAccessCidrs",
            List.of("203.0.113.0/24")),
        rule(
            "eks.yaml",
            "network.publicAccessCidrs: at most 40 CIDRs (EKS's limit), got 41",
            "network.publicAccessCidrs",
            java.util.stream.IntStream.range(0, 41)
                .mapToObj(i -> "203.0.113." + i + "/32")
                .toList()),
        rule(
            "gke.yaml",
            "network.publicAccessCidrs: not used on gcp",
            "network.publicAccessCidrs",
            List.of("203.0.113.0/24")),
        rule(
            "eks.yaml",
            "nodePools[0].machineType: not an EC2 instance type (like m6i.xlarge)",
            "nodePools[0].machineType",
            "m6i-xlarge"),
        rule(
            "eks.yaml",
            "nodePools[0].diskType: must be one of gp2, gp3, io1, io2, sc1, st1, standard",
            "nodePools[0].diskType",
            "gp4",
            "nodePools[0].diskIops",
            null,
            "nodePools[0].diskThroughput",
            null),
        rule(
            "eks.yaml",
            "nodePools[0].diskThroughput: only settable on gp3 volumes",
            "nodePools[0].diskType",
            "io1"),
        rule(
            "eks.yaml",
            "nodePools[0].diskIops: only settable on gp3, io1 and io2 volumes",
            "nodePools[0].diskType",
            "gp2",
            "nodePools[0].diskThroughput",
            null),
        rule(
            "eks.yaml",
            "nodePools[0].diskSizeGb (20000) must be between 1 and 16384 on aws",
            "nodePools[0].diskSizeGb",
            20000),
        rule(
            "eks.yaml",
            "nodePools[0].diskIops (20000) must be between 3000 and 16000 on gp3",
            "nodePools[0].diskIops",
            20000),
        rule(
            "eks.yaml",
            "nodePools[0].diskThroughput (100) must be between 125 and 1000 on gp3",
            "nodePools[0].diskThroughput",
            100),
        rule(
            "eks.yaml",
            "nodePools[0].diskIops (6000) > 500 per GB of diskSizeGb (10)",
            "nodePools[0].diskSizeGb",
            10),
        rule(
            "eks.yaml",
            "nodePools[0].diskThroughput (1000) > diskIops / 4 (750)",
            "nodePools[0].diskIops",
            3000,
            "nodePools[0].diskThroughput",
            1000),
        rule("eks.yaml", "nodePools[0].maxPods (0) < 1", "nodePools[0].maxPods", 0),
        rule(
            "eks.yaml",
            "aws.serviceAccounts[0].wellKnownPolicy: must be one of imageBuilder, autoScaler, awsLoadBalancerController, "
                + "externalDNS, certManager, ebsCSIController, efsCSIController",
            "aws.serviceAccounts[0].wellKnownPolicy",
            "loadBalancer"),
        rule(
            "eks.yaml",
            "aws.serviceAccounts[1]: kube-system/aws-load-balancer-controller is already aws.serviceAccounts[0]",
            "aws.serviceAccounts[1].name",
            "aws-load-balancer-controller"),
        rule(
            "eks.yaml",
            "aws.serviceAccounts[2].name: must be a Kubernetes name (lowercase letters, digits, hyphens)",
            "aws.serviceAccounts[2].name",
            "Cluster_Autoscaler"),
        rule(
            "eks.yaml",
            "aws.serviceAccounts[3].namespace: required",
            "aws.serviceAccounts[3].namespace",
            null),
        rule(
            "eks.yaml",
            "aws.withOIDC: must be true for aws.serviceAccounts (IRSA needs the cluster's OIDC provider)",
            "aws.withOIDC",
            false),
        rule(
            "eks.yaml",
            "aws.amiFamily: must be one of AmazonLinux2, AmazonLinux2023, Ubuntu1804, Ubuntu2004, Ubuntu2204, "
                + "UbuntuPro2204, Ubuntu2404, UbuntuPro2404, Bottlerocket",
            "aws.amiFamily",
            "Ubuntu"),
        rule(
            "eks.yaml",
            "aws.nodePolicies[0]: not an IAM policy ARN",
            "aws.nodePolicies",
            List.of("AmazonEKSWorkerNodePolicy")),
        rule(
            "eks.yaml",
            "aws.clusterLogging[0]: must be one of *, all, api, audit, authenticator, controllerManager, scheduler",
            "aws.clusterLogging",
            List.of("everything")),
        rule(
            "eks.yaml",
            "aws.tags[\"aws:owner\"]: keys starting with aws: are reserved",
            "aws.tags[\"aws:owner\"]",
            "me"),
        rule(
            "eks.yaml",
            "aws.calico.operatorManifestSha256: required for an http:// manifest",
            "aws.calico",
            Map.of("operatorManifest", "http://mirror.internal/tigera-operator.yaml")),
        rule(
            "eks.yaml",
            "aws.calico.operatorManifestSha256: must be 64 lowercase hex digits",
            "aws.calico",
            Map.of("operatorManifestSha256", "ABC")));
  }

  static Stream<Arguments> aksRules() {
    return Stream.of(
        rule(
            "aks.yaml",
            "azure.tags[\"refarch-run\"]: refarch-cluster and refarch-run are refarch's own (who made what)",
            "azure.tags[\"refarch-run\"]",
            "mine"),
        rule(
            "aks.yaml",
            "azure.tags[\"a/b\"]: names may not contain < > % & \\ ? /",
            "azure.tags[\"a/b\"]",
            "x"),
        rule(
            "aks.yaml",
            "azure.tags[\"team\"]: values are at most 256 characters",
            "azure.tags[\"team\"]",
            "v".repeat(257)),
        rule("aks.yaml", "azure.subscription: required", "azure.subscription", null),
        rule(
            "aks.yaml",
            "azure.subscription: must be a UUID",
            "azure.subscription",
            "my-subscription"),
        rule(
            "aks.yaml",
            "name: must be at most 63 letters, digits, hyphens or underscores and start and end with a letter or digit (AKS cluster names)",
            "name",
            "gitpod-"),
        rule(
            "aks.yaml",
            "name: must be at most 63 letters, digits, hyphens or underscores and start and end with a letter or digit (AKS cluster names)",
            "name",
            "g".repeat(64)),
        rule(
            "aks.yaml",
            "nodePools[1].name: must be at most 12 lowercase letters or digits and start with a letter (AKS agent pool names)",
            "nodePools[1].name",
            "regularworkspaces"),
        rule(
            "aks.yaml",
            "nodePools[0].name: must be at most 12 lowercase letters or digits and start with a letter (AKS agent pool names)",
            "nodePools[0].name",
            "workload-services"),
        rule(
            "aks.yaml", "region: not an Azure location (like westeurope)", "region", "West Europe"),
        rule("aks.yaml", "zones[0]: must be 1, 2 or 3 on azure", "zones", List.of("westeurope-1")),
        rule(
            "aks.yaml",
            "kubernetesVersion: not an AKS version (like 1.29 or 1.29.7)",
            "kubernetesVersion",
            "v1.29"),
        rule(
            "aks.yaml",
            "nodePools[0].machineType: not an Azure VM size (like Standard_D4_v4)",
            "nodePools[0].machineType",
            "D4v4"),
        rule(
            "aks.yaml",
            "nodePools[0].diskType: must be one of Managed, Ephemeral",
            "nodePools[0].diskType",
            "Premium_LRS"),
        rule(
            "aks.yaml",
            "nodePools[0].diskSizeGb (10) must be between 30 and 2048 on azure",
            "nodePools[0].diskSizeGb",
            10),
        rule(
            "aks.yaml",
            "nodePools[0].maxPods (5) must be between 10 and 250 on azure",
            "nodePools[0].maxPods",
            5),
        rule(
            "aks.yaml",
            "nodePools[0].minNodes (0) < 1; the first pool is AKS's system pool, which needs a node",
            "nodePools[0].minNodes",
            0),
        rule(
            "aks.yaml",
            "azure.networkPlugin: must be one of azure, kubenet, none",
            "azure.networkPlugin",
            "cni"),
        rule(
            "aks.yaml",
            "azure.networkPolicy: must be one of calico, azure, cilium",
            "azure.networkPolicy",
            "weave"),
        rule(
            "aks.yaml",
            "azure.networkPolicy: azure needs networkPlugin azure",
            "azure.networkPlugin",
            "kubenet",
            "azure.networkPolicy",
            "azure"),
        rule(
            "aks.yaml",
            "azure.networkPolicy: set, but network.networkPolicy is false",
            "network.networkPolicy",
            false,
            "azure.networkPolicy",
            "calico"),
        rule(
            "aks.yaml",
            "azure.resourceGroup: must be at most 90 letters, digits, underscores, hyphens, periods or parentheses and not end with a period",
            "azure.resourceGroup",
            "gitpod.rg."),
        rule(
            "aks.yaml",
            "azure.dnsPrefix: must be at most 54 letters, digits or hyphens and start and end with a letter or digit",
            "azure.dnsPrefix",
            "-gitpod"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource({"commonRules", "gkeRules", "eksRules", "aksRules"})
  void eachRuleGivesItsOneMessage(String preset, String expected, Object[] edits)
      throws SpecException {
    assertThat(edited(preset, edits).problems()).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gitpod.io/workload_meta",
        "gitpod.io/workload_ide",
        "gitpod.io/workload_workspace_services",
        "gitpod.io/workload_workspace_regular",
        "gitpod.io/workload_workspace_headless"
      })
  void eachMissingGitpodLabelIsNamed(String label) throws SpecException {
    PresetFiles.Edit edit = PresetFiles.Edit.of("gke.yaml");
    for (int i = 0; i < 3; i++) {
      edit.set("nodePools[" + i + "].labels[\"" + label + "\"]", null);
    }
    assertThat(edit.problems()).containsExactly("nodePools: no pool carries the label " + label);
  }

  @Test
  void everyMissingLabelIsNamedInTheOrderOfLabelsRequired() throws SpecException {
    PresetFiles.Edit edit =
        PresetFiles.Edit.of("eks.yaml").set("nodePools[1].labels", Map.of("role", "workspaces"));
    assertThat(edit.problems())
        .containsExactly(
            "nodePools: no pool carries the label gitpod.io/workload_workspace_services",
            "nodePools: no pool carries the label gitpod.io/workload_workspace_regular",
            "nodePools: no pool carries the label gitpod.io/workload_workspace_headless");
  }

  @Test
  void poolsWithClusterNeedsAPoolAndFreesTheDefaultPoolsName() throws SpecException {
    assertThat(edited("gke.yaml", "gcp.poolsWithCluster", true, "nodePools", List.of()).problems())
        .contains(
            "gcp.poolsWithCluster: needs at least one of nodePools: GKE creates a cluster with at"
                + " least one pool");
    // No default pool is created then, so a pool may take its name.
    assertThat(
            edited("gke.yaml", "gcp.poolsWithCluster", true, "nodePools[0].name", "default-pool")
                .problems())
        .isEmpty();
  }

  @Test
  void aServicesPoolMayRunFewerPodsThanAWorkspacePool() throws SpecException {
    assertThat(edited("gke.yaml", "nodePools[0].maxPods", 64).problems()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "default",
        "gitpod-gke",
        "dns-nodes@my-gcp-project.iam.gserviceaccount.com",
        "123456789012-compute@developer.gserviceaccount.com"
      })
  void theNodePoolsAccountIsDefaultAnAccountIdOrAnEmail(String account) throws SpecException {
    assertThat(edited("gke.yaml", "gcp.nodePoolServiceAccount", account).problems()).isEmpty();
  }

  @Test
  void theLimitsThemselvesPass() throws SpecException {
    assertThat(
            edited(
                    "gke.yaml",
                    "name",
                    "a".repeat(40),
                    "gcp.project",
                    "p".repeat(30),
                    "nodePools[0].maxPods",
                    256,
                    "nodePools[0].diskSizeGb",
                    10)
                .problems())
        .isEmpty();
    assertThat(
            edited(
                    "eks.yaml",
                    "name",
                    "A".repeat(100),
                    "nodePools[0].name",
                    "s".repeat(63),
                    "zones",
                    List.of("eu-west-1a", "eu-west-1b"),
                    "aws.calico.operatorManifestSha256",
                    "0".repeat(64))
                .problems())
        .isEmpty();
    assertThat(
            edited(
                    "aks.yaml",
                    "name",
                    "g".repeat(63),
                    "nodePools[1].name",
                    "r".repeat(12),
                    "zones",
                    List.of("1", "2", "3"),
                    "nodePools[0].maxPods",
                    250)
                .problems())
        .isEmpty();
  }

  @Test
  void theHeartbeatTimeoutIsThirtySecondsUnlessTheSpecSetsOne() throws SpecException {
    PresetFiles.Edit absent = edited("gke.yaml", "heartbeatTimeoutSeconds", null);
    assertThat(SpecDefaults.apply(SpecLoader.parse(absent.yaml())).heartbeatTimeout())
        .isEqualTo(java.time.Duration.ofSeconds(30));
    for (int seconds : new int[] {10, 45, 600}) {
      PresetFiles.Edit set = edited("gke.yaml", "heartbeatTimeoutSeconds", seconds);
      assertThat(set.problems()).isEmpty();
      assertThat(SpecDefaults.apply(SpecLoader.parse(set.yaml())).heartbeatTimeout())
          .isEqualTo(java.time.Duration.ofSeconds(seconds));
    }
  }

  @Test
  void threeProblemsGiveThreeMessagesInFieldOrder() throws SpecException {
    PresetFiles.Edit edit =
        edited("gke.yaml", "region", "Iowa", "nodePools[0].minNodes", 5, "gcp.project", "x");
    assertThat(edit.problems())
        .containsExactly(
            "nodePools[0].minNodes (5) > maxNodes (4)",
            "region: not a GCP region (like us-central1)",
            "gcp.project: must be 6 to 30 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen");
  }

  @Test
  void aValidatorFedDirectlyStillChecksTheHeader() throws SpecException {
    ClusterSpec spec = Specs.load(PresetFiles.path("gke.yaml"));
    ClusterSpec other =
        new ClusterSpec(
            "v1",
            "Cluster",
            spec.cloud(),
            spec.name(),
            spec.region(),
            spec.zones(),
            spec.kubernetesVersion(),
            spec.clusterAdmin(),
            spec.keepOnFailure(),
            spec.heartbeatTimeoutSeconds(),
            spec.network(),
            spec.nodePools(),
            spec.gcp(),
            spec.aws(),
            spec.azure());
    assertThat(SpecValidator.validate(other))
        .containsExactly("apiVersion: must be refarch.io/v1alpha1", "kind: must be ClusterSpec");
  }

  @Test
  void specsLoadThrowsWithEveryProblem(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("spec.yaml");
    Files.writeString(
        file, edited("aks.yaml", "name", "gitpod-", "azure.subscription", null).yaml());
    assertThatThrownBy(() -> Specs.load(file))
        .isInstanceOfSatisfying(
            SpecException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "name: must be at most 63 letters, digits, hyphens or underscores and start and end with a letter or digit (AKS cluster names)",
                        "azure.subscription: required"));
  }

  private static PresetFiles.Edit edited(String preset, Object... edits) {
    PresetFiles.Edit edit = PresetFiles.Edit.of(preset);
    List<Object> pairs = new ArrayList<>(Arrays.asList(edits));
    for (int i = 0; i < pairs.size(); i += 2) {
      edit.set((String) pairs.get(i), pairs.get(i + 1));
    }
    return edit;
  }
}
