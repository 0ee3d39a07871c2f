package io.refarch.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refarch.workflow.Procedures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * eksctl's ClusterConfig as a spec: the seed's gitpod-cluster.yaml plans the cluster
 * examples/eks.yaml plans, and whatever refarch cannot honour is named by its eksctl path.
 */
class EksctlClusterConfigTest {
  @TempDir Path dir;

  private ClusterSpec load(String yaml) throws SpecException {
    Path file = dir.resolve("gitpod-cluster.yaml");
    try {
      Files.writeString(file, yaml);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Specs.load(file);
  }

  private List<String> problems(String yaml) {
    try {
      load(yaml);
    } catch (SpecException e) {
      return e.problems();
    }
    throw new AssertionError("expected the ClusterConfig to be rejected:\n" + yaml);
  }

  private static ClusterSpec eksYaml() throws SpecException {
    return Specs.load(PresetFiles.path("eks.yaml"));
  }

  /** The seed's file with placeholders filled, then one edit: {@code from} becomes {@code to}. */
  private static String seedWith(String from, String to) throws SpecException {
    String seed = EksctlSeed.withPlaceholdersOf(eksYaml());
    assertThat(seed).as("the seed's text to edit").contains(from);
    return seed.replace(from, to);
  }

  @Test
  void theSeedsClusterConfigIsTheSpecAndPlanOfExamplesEksYaml() throws SpecException {
    ClusterSpec expected = eksYaml();
    ClusterSpec fromSeed = load(EksctlSeed.withPlaceholdersOf(expected));

    assertThat(fromSeed).isEqualTo(expected);
    // What `refarch plan` prints: the defaulted spec and every step with its request.
    assertThat(SpecLoader.toYaml(fromSeed)).isEqualTo(SpecLoader.toYaml(expected));
    assertThat(Procedures.plan(fromSeed)).isEqualTo(Procedures.plan(expected)).isNotEmpty();
  }

  @Test
  void theSeedsValuesReachTheSpecFromTheFileNotFromDefaults() throws SpecException {
    // Equality with eks.yaml alone would pass if the translation dropped a value whose default is
    // the seed's; these are the values eks.yaml leaves to defaults.
    SpecLoader.Document doc = SpecLoader.parseDocument(EksctlSeed.withPlaceholdersOf(eksYaml()));
    AwsOptions aws = doc.spec().aws();
    assertThat(aws.amiFamily()).isEqualTo("Ubuntu2004");
    assertThat(aws.nodePolicies())
        .hasSize(5)
        .contains("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");
    assertThat(aws.clusterLogging()).containsExactly("*");
    assertThat(doc.spec().network())
        .isEqualTo(new Network(null, null, "Single", null, true, true, List.of("0.0.0.0/0")));
    assertThat(doc.spec().nodePools())
        .extracting(NodePool::maxPods, NodePool::diskSizeGb, NodePool::diskIops)
        .containsOnly(org.assertj.core.groups.Tuple.tuple(110, 300, 6000));
  }

  @Test
  void examplesGitpodClusterYamlIsTheSeedsFileWithPlaceholdersFilled() throws Exception {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    Object example = yaml.load(PresetFiles.text("gitpod-cluster.yaml"));
    Object seed = yaml.load(EksctlSeed.withPlaceholdersOf(eksYaml()));

    assertThat(example).isEqualTo(seed);
    assertThat(Specs.load(PresetFiles.path("gitpod-cluster.yaml"))).isEqualTo(eksYaml());
  }

  @Test
  void theUnchangedSeedLacksOnlyWhatEksctlTakesFromItsCredentials() throws Exception {
    assertThat(problems(EksctlSeed.clusterConfig()))
        .containsExactly(
            "metadata.annotations[\"refarch.io/cluster-admin\"]: required: the ARN of the IAM user"
                + " or role that gets cluster-admin (eksctl makes its own caller admin; refarch's"
                + " worker is not you)",
            "metadata.annotations[\"refarch.io/account\"]: required: the 12-digit AWS account id"
                + " (eksctl uses its credentials' account; refarch names the account in the run's"
                + " id, before any AWS call)");
  }

  @Test
  void everyUnsupportedFieldIsNamedByItsPathAllAtOnce() throws Exception {
    String yaml =
        seedWith(
                    "  - name: workspaces\n",
                    "  - name: workspaces\n"
                        + "    ssh:\n"
                        + "      allow: true\n"
                        + "      publicKeyName: my-key\n"
                        + "    taints:\n"
                        + "      - key: gitpod\n"
                        + "        effect: NoSchedule\n")
                .replace(
                    "        ebsCSIController: true\n",
                    "        ebsCSIController: true\n      attachPolicyARNs: [arn:aws:iam::aws:policy/X]\n")
                .replace(
                    "  autoAllocateIPv6: false\n", "  autoAllocateIPv6: false\n  subnets: {}\n")
            + "addons:\n  - name: vpc-cni\n    version: latest\n"
            + "fargateProfiles: []\n";

    assertThat(problems(yaml))
        .containsExactly(
            "iam.serviceAccounts[1].attachPolicyARNs: not supported by refarch (refarch attaches"
                + " the well-known policy only)",
            "vpc.subnets: not supported by refarch (refarch creates its own VPC and subnets)",
            "managedNodeGroups[1].ssh.allow: not supported by refarch (refarch reaches nodes"
                + " through SSM, which AmazonSSMManagedInstanceCore allows)",
            "managedNodeGroups[1].ssh.publicKeyName: not supported by refarch (refarch reaches"
                + " nodes through SSM, which AmazonSSMManagedInstanceCore allows)",
            "managedNodeGroups[1].taints[0].key: not supported by refarch (Gitpod schedules by the"
                + " gitpod.io/workload_* labels)",
            "managedNodeGroups[1].taints[0].effect: not supported by refarch (Gitpod schedules by"
                + " the gitpod.io/workload_* labels)",
            "addons[0].name: not supported by refarch (refarch installs Calico in place of the VPC"
                + " CNI, as the seed does)",
            "addons[0].version: not supported by refarch (refarch installs Calico in place of the"
                + " VPC CNI, as the seed does)",
            "fargateProfiles: not supported by refarch (Gitpod workspaces cannot run on Fargate)");
  }

  @Test
  void misspeltFieldsAreUnknownWithTheFieldMeant() throws Exception {
    String yaml =
        seedWith("    volumeIOPS: 6000\n", "    volumeIops: 6000\n")
            .replace("  withOIDC: true\n", "  withOidc: true\n")
            .replace("        certManager: true\n", "        certManger: true\n");

    assertThat(problems(yaml))
        .containsExactly(
            "iam.serviceAccounts[3].wellKnownPolicies.certManger: unknown well-known policy; did"
                + " you mean certManager?",
            "iam.withOidc: unknown eksctl field; did you mean withOIDC?",
            "managedNodeGroups[0].volumeIops: unknown eksctl field; did you mean volumeIOPS?",
            "managedNodeGroups[1].volumeIops: unknown eksctl field; did you mean volumeIOPS?");
  }

  @Test
  void valuesRefarchCannotDoNameTheirPath() throws Exception {
    String yaml =
        seedWith("  autoAllocateIPv6: false\n", "  autoAllocateIPv6: true\n")
            .replaceFirst("    spot: false\n", "    spot: true\n")
            .replaceFirst(
                "    instanceTypes: \\[\"m6i.xlarge\"]\n",
                "    instanceTypes: [m6i.xlarge, m5.xlarge]\n")
            .replaceFirst("    privateNetworking: true\n", "    privateNetworking: false\n");

    assertThat(problems(yaml))
        .containsExactly(
            "vpc.autoAllocateIPv6: true is not supported by refarch (refarch's VPC is IPv4); only"
                + " false",
            "managedNodeGroups[0].instanceTypes: refarch creates a node group of one instance"
                + " type, got 2",
            "managedNodeGroups[0].spot: true is not supported by refarch (refarch's node groups"
                + " are on-demand); only false",
            "managedNodeGroups[0].privateNetworking: false is not supported by refarch (refarch"
                + " puts nodes in private subnets); only true");
  }

  @Test
  void publicAccessCidrsReachTheSpecAndABadOneIsReportedByItsEksctlPath() throws Exception {
    String seeds = "  publicAccessCIDRs: [\"0.0.0.0/0\"]\n";
    ClusterSpec narrowed = load(seedWith(seeds, "  publicAccessCIDRs: [203.0.113.0/24]\n"));
    assertThat(narrowed.network().publicAccessCidrs()).containsExactly("203.0.113.0/24");

    assertThat(problems(seedWith(seeds, "  publicAccessCIDRs: [203.0.113.7/24]\n")))
        .containsExactly(
            "vpc.publicAccessCIDRs[0]: not an IPv4 CIDR (like 203.0.113.0/24): 203.0.113.7/24");
  }

  @Test
  void seedValuesRefarchFixesAreTakenOnlyAsTheSeedHasThem() throws Exception {
    String yaml =
        EksctlSeed.withPlaceholdersOf(eksYaml())
            .replaceFirst("    disableIMDSv1: false\n", "    disableIMDSv1: true\n")
            .replaceFirst(
                "      k8s.io/cluster-autoscaler/gitpod: \"owned\"\n",
                "      k8s.io/cluster-autoscaler/gitpod: \"owned\"\n      team: a\n")
            .replaceFirst(
                "      - echo \"export CONTAINER_RUNTIME=containerd\" >> /etc/profile.d/bootstrap.sh\n",
                "");

    assertThat(problems(yaml))
        .containsExactly(
            "managedNodeGroups[0].disableIMDSv1: true is not supported by refarch (refarch keeps"
                + " the seed's IMDSv1 on); only false",
            "managedNodeGroups[0].preBootstrapCommands: not supported by refarch unless they are"
                + " the seed's three (USE_MAX_PODS=false, CONTAINER_RUNTIME=containerd, source them"
                + " in bootstrap.sh), which refarch's nodes always run",
            "managedNodeGroups[0].tags: not supported by refarch unless they are"
                + " cluster-autoscaler's discovery tags {k8s.io/cluster-autoscaler/enabled=true,"
                + " k8s.io/cluster-autoscaler/gitpod=owned}, which refarch puts on every node group;"
                + " tag everything with metadata.tags");
  }

  @Test
  void nodeGroupsDisagreeingOnAClusterWideFieldAreNamed() throws Exception {
    String yaml =
        seedWith(
            "  - name: workspaces\n    amiFamily: Ubuntu2004\n",
            "  - name: workspaces\n    amiFamily: AmazonLinux2\n");

    assertThat(problems(yaml))
        .containsExactly(
            "managedNodeGroups[1].amiFamily: differs from managedNodeGroups[0].amiFamily; refarch"
                + " gives every node group the same amiFamily (aws.amiFamily), so write the same"
                + " value in each");
  }

  @Test
  void twoWellKnownPoliciesOnOneServiceAccountAreNamed() throws Exception {
    String yaml =
        seedWith(
            "        autoScaler: true\n", "        autoScaler: true\n        externalDNS: true\n");

    assertThat(problems(yaml))
        .containsExactly(
            "iam.serviceAccounts[2].wellKnownPolicies: autoScaler and externalDNS are both true;"
                + " refarch gives each service account one well-known policy");
  }

  @Test
  void theValidatorsProblemsUseEksctlsPaths() throws Exception {
    String yaml =
        seedWith("    minSize: 1\n    maxSize: 4\n", "    minSize: 5\n    maxSize: 4\n")
            .replace("    gateway: Single\n", "    gateway: Double\n")
            .replace("  version: \"1.22\"\n", "  version: \"1.20\"\n")
            .replaceFirst("    volumeIOPS: 6000\n", "    volumeIOPS: 90000\n");

    assertThat(problems(yaml))
        .containsExactly(
            "metadata.version: 1.20 is older than 1.21, the oldest Gitpod supports",
            "managedNodeGroups[0].minSize (5) > maxSize (4)",
            "vpc.nat.gateway: must be one of Single, HighlyAvailable, Disable",
            "managedNodeGroups[0].volumeIOPS (90000) must be between 3000 and 16000 on gp3");
  }

  @Test
  void wrongTypesNameTheirPath() throws Exception {
    String yaml =
        seedWith("    desiredCapacity: 2\n", "    desiredCapacity: two\n")
            .replace("  withOIDC: true\n", "  withOIDC: yes please\n");

    assertThat(problems(yaml))
        .containsExactly(
            "iam.withOIDC: expected true or false, got \"yes please\"",
            "managedNodeGroups[0].desiredCapacity: expected an integer, got \"two\"",
            "managedNodeGroups[1].desiredCapacity: expected an integer, got \"two\"");
  }

  @Test
  void aMisspeltRefarchAnnotationIsNamedOthersAreEksctlsOwn() throws Exception {
    String yaml =
        seedWith(
            "    refarch.io/account:",
            "    refarch.io/acount: x\n    example.com/owner: team-a\n    refarch.io/account:");

    assertThat(problems(yaml))
        .containsExactly(
            "metadata.annotations[\"refarch.io/acount\"]: unknown refarch annotation; did you mean"
                + " refarch.io/account?");
  }

  @Test
  void aSpecStillReadsAsBefore() throws Exception {
    // The header alone decides: a refarch spec is not mistaken for eksctl's.
    assertThatThrownBy(() -> SpecLoader.parse("apiVersion: refarch.io/v1alpha1\nmetadata: {}\n"))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "metadata: unknown key; expected one of apiVersion, kind, cloud, name, region,"
                + " zones, kubernetesVersion, clusterAdmin, keepOnFailure, heartbeatTimeoutSeconds,"
                + " network, nodePools, gcp, aws, azure");
  }
}
