package io.refarch.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SpecDefaultsTest {

  private static ClusterSpec defaulted(String yaml) throws SpecException {
    return SpecDefaults.apply(SpecLoader.parse(yaml));
  }

  private static final String POOL =
      "nodePools:\n  - {name: services, machineType: m, minNodes: 1, maxNodes: 4}\n";

  @Test
  void gcpFillsExactlyTheSeedsFlags() throws SpecException {
    ClusterSpec spec = defaulted("cloud: gcp\nname: gitpod\n" + POOL);

    assertThat(spec)
        .isEqualTo(
            new ClusterSpec(
                "refarch.io/v1alpha1",
                "ClusterSpec",
                Cloud.GCP,
                "gitpod",
                null,
                List.of(),
                null,
                null,
                false,
                null,
                new Network("gitpod-gitpod", null, null, true, null, null, null),
                List.of(
                    new NodePool(
                        "services", "m", 1, 4, 1, "pd-ssd", 100, null, null, Map.of(), 110)),
                new GcpOptions(
                    null,
                    "gitpod-gke",
                    List.of(
                        "roles/storage.admin",
                        "roles/logging.logWriter",
                        "roles/monitoring.metricWriter",
                        "roles/container.admin"),
                    "default",
                    "UBUNTU_CONTAINERD",
                    List.of(
                        "gke-default", "https://www.googleapis.com/auth/ndev.clouddns.readwrite"),
                    List.of("HorizontalPodAutoscaling", "NodeLocalDNS", "NetworkPolicy"),
                    false,
                    true,
                    Map.of("disable-legacy-endpoints", "true"),
                    new NodePool(
                        "default-pool",
                        "e2-standard-2",
                        0,
                        1,
                        1,
                        "pd-ssd",
                        50,
                        null,
                        null,
                        Map.of(),
                        110),
                    false),
                null,
                null));
  }

  @Test
  void awsFillsExactlyTheSeedsEksctlValues() throws SpecException {
    ClusterSpec spec = defaulted("cloud: aws\nname: gitpod\n" + POOL);

    assertThat(spec)
        .isEqualTo(
            new ClusterSpec(
                "refarch.io/v1alpha1",
                "ClusterSpec",
                Cloud.AWS,
                "gitpod",
                null,
                List.of(),
                null,
                null,
                false,
                null,
                new Network(
                    null, "192.168.0.0/16", "Single", true, true, true, List.of("0.0.0.0/0")),
                List.of(
                    new NodePool("services", "m", 1, 4, 1, "gp3", 300, 6000, 500, Map.of(), 110)),
                null,
                new AwsOptions(
                    null,
                    Map.of(),
                    true,
                    List.of(),
                    "Ubuntu2004",
                    List.of(
                        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
                        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                        "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
                        "arn:aws:iam::aws:policy/ElasticLoadBalancingFullAccess",
                        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"),
                    List.of("*"),
                    new AwsOptions.Calico(
                        "https://raw.githubusercontent.com/projectcalico/calico/v3.26.4/manifests/tigera-operator.yaml",
                        null)),
                null));
  }

  @Test
  void azureFillsAksDefaults() throws SpecException {
    ClusterSpec spec = defaulted("cloud: azure\nname: gitpod\n" + POOL);

    assertThat(spec)
        .isEqualTo(
            new ClusterSpec(
                "refarch.io/v1alpha1",
                "ClusterSpec",
                Cloud.AZURE,
                "gitpod",
                null,
                List.of(),
                null,
                null,
                false,
                null,
                new Network(null, null, null, true, null, null, null),
                List.of(
                    new NodePool(
                        "services", "m", 1, 4, 1, "Managed", 128, null, null, Map.of(), 110)),
                null,
                null,
                new AzureOptions(null, "gitpod-rg", "gitpod", "azure", "calico")));
  }

  /** Every field set to something other than its default: applying defaults changes nothing. */
  static Stream<Arguments> everyFieldWritten() {
    return Stream.of(
        Arguments.of(
            "gcp",
            """
            gcp:
              project: p1234567
              serviceAccount: my-sa-1
              serviceAccountRoles: [roles/viewer]
              nodePoolServiceAccount: my-sa-1
              imageType: COS_CONTAINERD
              scopes: [cloud-platform]
              addons: [NetworkPolicy]
              autoUpgrade: true
              autoRepair: false
              metadata: {a: b}
              defaultPool: {name: first, machineType: e2-small, minNodes: 1, maxNodes: 2, initialNodes: 2,
                            diskType: pd-balanced, diskSizeGb: 20, labels: {x: y}, maxPods: 64}
              poolsWithCluster: true
            network: {subnetwork: mine, networkPolicy: false}
            """),
        Arguments.of(
            "aws",
            """
            aws:
              account: '123456789012'
              tags: {a: b}
              withOIDC: false
              serviceAccounts: [{name: n, namespace: ns, wellKnownPolicy: autoScaler}]
              amiFamily: AmazonLinux2
              nodePolicies: [arn:aws:iam::aws:policy/X]
              clusterLogging: [api]
              calico: {operatorManifest: /tmp/tigera.yaml, operatorManifestSha256: abc}
            network: {vpcCidr: 10.0.0.0/16, nat: HighlyAvailable, networkPolicy: false, privateAccess: false,
                      publicAccess: false}
            """),
        Arguments.of(
            "azure",
            """
            azure: {subscription: s, resourceGroup: rg, dnsPrefix: dp, networkPlugin: kubenet, networkPolicy: azure}
            network: {networkPolicy: true}
            """));
  }

  @ParameterizedTest
  @MethodSource("everyFieldWritten")
  void userValuesAreNeverOverwritten(String cloud, String options) throws SpecException {
    String yaml =
        "apiVersion: refarch.io/v1alpha1\nkind: ClusterSpec\ncloud: "
            + cloud
            + "\nname: n\nregion: r\n"
            + "zones: [z]\nkubernetesVersion: '1.30'\nclusterAdmin: me\nkeepOnFailure: true\n"
            + "nodePools:\n  - {name: p, machineType: m, minNodes: 2, maxNodes: 3, initialNodes: 3, diskType: io1,"
            + " diskSizeGb: 7, diskIops: 100, diskThroughput: 7, labels: {k: v}, maxPods: 30}\n"
            + options;
    ClusterSpec written = SpecLoader.parse(yaml);
    assertThat(SpecDefaults.apply(written)).isEqualTo(written);
  }

  @ParameterizedTest(name = "min {0}, max {1} -> initial {2}")
  @CsvSource({"0, 1, 1", "1, 4, 1", "2, 10, 2", "0, 0, 0", ", 5, 1", "3, , 3"})
  void initialNodesFollowTheSeedsOneNodeStart(Integer min, Integer max, int initial) {
    assertThat(SpecDefaults.initialNodes(min, max)).isEqualTo(initial);
  }

  @Test
  void iopsAndThroughputAreFilledOnlyForGp3() throws SpecException {
    ClusterSpec spec =
        defaulted("cloud: aws\nnodePools:\n  - {name: a, diskType: gp2}\n  - {name: b}\n");
    assertThat(spec.nodePools().get(0).diskIops()).isNull();
    assertThat(spec.nodePools().get(0).diskThroughput()).isNull();
    assertThat(spec.nodePools().get(1).diskIops()).isEqualTo(6000);
    assertThat(spec.nodePools().get(1).diskThroughput()).isEqualTo(500);
  }

  @Test
  void aPartlyWrittenDefaultPoolKeepsItsValuesAndGetsTheRest() throws SpecException {
    ClusterSpec spec =
        defaulted("cloud: gcp\ngcp:\n  defaultPool: {machineType: e2-medium, maxNodes: 3}\n");
    assertThat(spec.gcp().defaultPool())
        .isEqualTo(
            new NodePool(
                "default-pool", "e2-medium", 0, 3, 1, "pd-ssd", 50, null, null, Map.of(), 110));
  }

  @Test
  void aPartlyWrittenCalicoKeepsItsDigestAndGetsThePinnedUrl() throws SpecException {
    String sha = "a".repeat(64);
    ClusterSpec spec =
        defaulted("cloud: aws\naws:\n  calico: {operatorManifestSha256: " + sha + "}\n");
    assertThat(spec.aws().calico())
        .isEqualTo(new AwsOptions.Calico(SpecDefaults.EKS_CALICO_OPERATOR_MANIFEST, sha));
  }

  @Test
  void azureWithNetworkPolicyOffGetsNoPolicyEngine() throws SpecException {
    ClusterSpec spec = defaulted("cloud: azure\nname: gitpod\nnetwork: {networkPolicy: false}\n");
    assertThat(spec.azure().networkPolicy()).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "gitpod, gitpod",
    "git_pod, git-pod",
    "gitpod_, gitpod",
  })
  void theAksDnsPrefixIsTheNameMadeDnsSafe(String name, String prefix) throws SpecException {
    assertThat(defaulted("cloud: azure\nname: " + name + "\n").azure().dnsPrefix())
        .isEqualTo(prefix);
  }

  @Test
  void aLongAksNameGivesADnsPrefixOfAtMost54Characters() throws SpecException {
    String name = "a".repeat(63);
    assertThat(defaulted("cloud: azure\nname: " + name + "\n").azure().dnsPrefix())
        .isEqualTo("a".repeat(54));
  }

  @Test
  void anotherCloudsBlockIsLeftForTheValidatorToName() throws SpecException {
    ClusterSpec spec = defaulted("cloud: gcp\naws: {account: '123456789012'}\n");
    assertThat(spec.aws())
        .isEqualTo(new AwsOptions("123456789012", null, null, null, null, null, null, null));
  }

  @Test
  void withoutACloudOnlyTheCloudFreeFieldsAreFilled() throws SpecException {
    ClusterSpec spec = defaulted("name: gitpod\n" + POOL);
    assertThat(spec.apiVersion()).isEqualTo("refarch.io/v1alpha1");
    assertThat(spec.keepOnFailure()).isFalse();
    assertThat(spec.zones()).isEmpty();
    assertThat(spec.network()).isNull();
    assertThat(spec.nodePools().get(0).diskType()).isNull();
  }
}
