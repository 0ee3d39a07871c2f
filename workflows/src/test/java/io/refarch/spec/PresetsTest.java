package io.refarch.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each preset in examples/ loads through Specs.load and carries the seed's values. */
class PresetsTest {

  private static final Map<String, String> SERVICES_LABELS =
      Map.of(
          Labels.META, "true",
          Labels.IDE, "true",
          Labels.WORKSPACE_SERVICES, "true");
  private static final List<String> SEED_ROLES =
      List.of(
          "roles/storage.admin",
          "roles/logging.logWriter",
          "roles/monitoring.metricWriter",
          "roles/container.admin");

  @Test
  void gkePresetIsTheThreePoolSeed() throws Exception {
    ClusterSpec spec = Specs.load(PresetFiles.path("gke.yaml"));

    assertThat(spec.cloud()).isEqualTo(Cloud.GCP);
    assertThat(spec.name()).isEqualTo("gitpod");
    assertThat(spec.region()).isEqualTo("us-central1");
    assertThat(spec.zones()).isEmpty();
    // The seed's 1.22.12-gke.1200 is out of support; GKE's default, with the original named.
    assertThat(spec.kubernetesVersion()).isEqualTo("latest");
    assertThat(Files.readString(PresetFiles.path("gke.yaml")))
        .contains("# The seed pinned 1.22.12-gke.1200");
    assertThat(spec.keepOnFailure()).isFalse();
    assertSeedGcpCluster(spec);

    assertThat(spec.nodePools())
        .extracting(NodePool::name)
        .containsExactly(
            "workload-services", "workload-regular-workspaces", "workload-headless-workspaces");
    assertThat(spec.nodePools().get(0))
        .isEqualTo(
            new NodePool(
                "workload-services",
                "n2d-standard-4",
                1,
                4,
                1,
                "pd-ssd",
                100,
                null,
                null,
                SERVICES_LABELS,
                110));
    assertThat(spec.nodePools().get(1))
        .isEqualTo(
            new NodePool(
                "workload-regular-workspaces",
                "n2d-standard-16",
                1,
                50,
                1,
                "pd-ssd",
                512,
                null,
                null,
                Map.of(Labels.WORKSPACE_REGULAR, "true"),
                110));
    assertThat(spec.nodePools().get(2))
        .isEqualTo(
            new NodePool(
                "workload-headless-workspaces",
                "n2d-standard-16",
                1,
                50,
                1,
                "pd-ssd",
                512,
                null,
                null,
                Map.of(Labels.WORKSPACE_HEADLESS, "true"),
                110));
  }

  @Test
  void gkeTwoPoolPresetIsTheGcpPartOfTheTwoPoolSeed() throws Exception {
    ClusterSpec spec = Specs.load(PresetFiles.path("gke-two-pools.yaml"));

    assertThat(spec.cloud()).isEqualTo(Cloud.GCP);
    assertThat(spec.name()).isEqualTo("gitpod");
    assertThat(spec.region()).isEqualTo("us-central1");
    assertThat(spec.kubernetesVersion()).isEqualTo("latest");
    assertThat(Files.readString(PresetFiles.path("gke-two-pools.yaml")))
        .contains("# The seed pinned 1.21.11-gke.900");
    assertSeedGcpCluster(spec);
    assertThat(spec.nodePools())
        .containsExactly(
            new NodePool(
                "workload-services",
                "n2d-standard-8",
                1,
                50,
                1,
                "pd-ssd",
                100,
                null,
                null,
                SERVICES_LABELS,
                110),
            new NodePool(
                "workload-workspaces",
                "n2d-standard-16",
                1,
                50,
                1,
                "pd-ssd",
                100,
                null,
                null,
                Map.of(Labels.WORKSPACE_REGULAR, "true", Labels.WORKSPACE_HEADLESS, "true"),
                110));
  }

  /** The seed's service account, cluster flags and default pool, shared by both GKE seeds. */
  private static void assertSeedGcpCluster(ClusterSpec spec) {
    GcpOptions gcp = spec.gcp();
    assertThat(gcp.project()).isEqualTo("my-gcp-project");
    assertThat(spec.clusterAdmin()).isEqualTo("you@example.com");
    assertThat(gcp.serviceAccount()).isEqualTo("gitpod-gke");
    assertThat(gcp.serviceAccountRoles()).containsExactlyElementsOf(SEED_ROLES);
    // Only the seed's clusters create names --service-account; its node-pools create does not.
    assertThat(gcp.nodePoolServiceAccount()).isEqualTo("default");
    assertThat(gcp.imageType()).isEqualTo("UBUNTU_CONTAINERD");
    assertThat(gcp.scopes())
        .containsExactly("gke-default", "https://www.googleapis.com/auth/ndev.clouddns.readwrite");
    assertThat(gcp.addons())
        .containsExactly("HorizontalPodAutoscaling", "NodeLocalDNS", "NetworkPolicy");
    assertThat(gcp.autoUpgrade()).isFalse();
    assertThat(gcp.autoRepair()).isTrue();
    assertThat(gcp.metadata()).isEqualTo(Map.of("disable-legacy-endpoints", "true"));
    assertThat(gcp.defaultPool())
        .isEqualTo(
            new NodePool(
                "default-pool", "e2-standard-2", 0, 1, 1, "pd-ssd", 50, null, null, Map.of(), 110));
    assertThat(spec.network().subnetwork()).isEqualTo("gitpod-gitpod");
    assertThat(spec.network().networkPolicy()).isTrue();
    assertThat(spec.network().vpcCidr()).isNull();
    assertThat(spec.aws()).isNull();
    assertThat(spec.azure()).isNull();
  }

  @Test
  void eksPresetIsTheSeedsEksctlConfig() throws SpecException {
    ClusterSpec spec = Specs.load(PresetFiles.path("eks.yaml"));

    assertThat(spec.cloud()).isEqualTo(Cloud.AWS);
    assertThat(spec.name()).isEqualTo("gitpod");
    assertThat(spec.region()).isEqualTo("eu-west-1");
    assertThat(spec.kubernetesVersion()).isEqualTo("1.22");
    assertThat(spec.zones()).isEmpty();
    assertThat(spec.network())
        .isEqualTo(
            new Network(null, "192.168.0.0/16", "Single", true, true, true, List.of("0.0.0.0/0")));

    AwsOptions aws = spec.aws();
    assertThat(aws.account()).isEqualTo("123456789012");
    assertThat(aws.tags()).isEqualTo(Map.of("department", "cs", "project", "gitpod"));
    assertThat(aws.withOIDC()).isTrue();
    assertThat(aws.serviceAccounts())
        .containsExactly(
            new AwsOptions.IrsaServiceAccount(
                "aws-load-balancer-controller", "kube-system", "awsLoadBalancerController"),
            new AwsOptions.IrsaServiceAccount(
                "ebs-csi-controller-sa", "kube-system", "ebsCSIController"),
            new AwsOptions.IrsaServiceAccount("cluster-autoscaler", "kube-system", "autoScaler"),
            new AwsOptions.IrsaServiceAccount("cert-manager", "cert-manager", "certManager"));
    assertThat(aws.amiFamily()).isEqualTo("Ubuntu2004");
    assertThat(aws.nodePolicies())
        .containsExactly(
            "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
            "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
            "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
            "arn:aws:iam::aws:policy/ElasticLoadBalancingFullAccess",
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
    assertThat(aws.clusterLogging()).containsExactly("*");
    assertThat(aws.calico().operatorManifest())
        .isEqualTo(
            "https://raw.githubusercontent.com/projectcalico/calico/v3.26.4/manifests/tigera-operator.yaml");
    assertThat(aws.calico().operatorManifestSha256()).isNull();

    assertThat(spec.nodePools())
        .containsExactly(
            new NodePool(
                "services",
                "m6i.xlarge",
                1,
                4,
                2,
                "gp3",
                300,
                6000,
                500,
                Map.of(Labels.META, "true", Labels.IDE, "true"),
                110),
            new NodePool(
                "workspaces",
                "m6i.2xlarge",
                1,
                10,
                2,
                "gp3",
                300,
                6000,
                500,
                Map.of(
                    Labels.WORKSPACE_REGULAR,
                    "true",
                    Labels.WORKSPACE_SERVICES,
                    "true",
                    Labels.WORKSPACE_HEADLESS,
                    "true"),
                110));
    assertThat(spec.gcp()).isNull();
    assertThat(spec.azure()).isNull();
  }

  @Test
  void aksPresetIsTheThreePoolSeedOnAzure() throws SpecException {
    ClusterSpec spec = Specs.load(PresetFiles.path("aks.yaml"));

    assertThat(spec.cloud()).isEqualTo(Cloud.AZURE);
    assertThat(spec.name()).isEqualTo("gitpod");
    assertThat(spec.region()).isEqualTo("westeurope");
    assertThat(spec.azure())
        .isEqualTo(
            new AzureOptions(
                "00000000-0000-0000-0000-000000000000", "gitpod-rg", "gitpod", "azure", "calico"));
    assertThat(spec.network().networkPolicy()).isTrue();
    assertThat(spec.nodePools())
        .containsExactly(
            new NodePool(
                "services",
                "Standard_D4_v4",
                1,
                4,
                1,
                "Managed",
                100,
                null,
                null,
                SERVICES_LABELS,
                110),
            new NodePool(
                "regularws",
                "Standard_D16_v4",
                1,
                50,
                1,
                "Managed",
                512,
                null,
                null,
                Map.of(Labels.WORKSPACE_REGULAR, "true"),
                110),
            new NodePool(
                "headlessws",
                "Standard_D16_v4",
                1,
                50,
                1,
                "Managed",
                512,
                null,
                null,
                Map.of(Labels.WORKSPACE_HEADLESS, "true"),
                110));
  }

  @Test
  void presetsPutTheServicesPoolFirst() throws SpecException {
    for (String preset : List.of("gke.yaml", "gke-two-pools.yaml", "eks.yaml", "aks.yaml")) {
      ClusterSpec spec = Specs.load(PresetFiles.path(preset));
      assertThat(spec.nodePools().get(0).labels()).as(preset).containsKeys(Labels.META, Labels.IDE);
    }
  }
}
