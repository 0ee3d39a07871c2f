package io.refarch.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.waiters.EksWaiter;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Each EKS cluster's Kubernetes API, as a client reaches it from DescribeCluster: HTTPS at {@code
 * endpoint} with {@code certificateAuthority.data}, a {@code k8s-aws-v1.} token as made by {@code
 * aws eks get-token}, and the nodes of the cluster's node groups.
 */
class AwsEksKubernetesTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path state;
  Sandbox sandbox;

  @AfterEach
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  /** What {@code aws eks get-token} prints: the presigned GetCallerIdentity URL, base64url. */
  static String token(String cluster, Duration expires) {
    return token(cluster, expires, AwsClients.ACCESS_KEY);
  }

  /** The same, signed by the holder of {@code accessKey}. */
  static String token(String cluster, Duration expires, String accessKey) {
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.GET)
            .uri(
                URI.create(
                    "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"))
            .putHeader("x-k8s-aws-id", cluster)
            .build();
    URI presigned =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(accessKey, "secret"))
                        .request(unsigned)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(
                            AwsV4HttpSigner.AUTH_LOCATION,
                            AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expires))
            .request()
            .getUri();
    return "k8s-aws-v1."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(presigned.toString().getBytes(StandardCharsets.UTF_8));
  }

  static KubernetesClient kube(Cluster cluster, String token) {
    Config config =
        new ConfigBuilder()
            .withMasterUrl(cluster.endpoint())
            .withCaCertData(cluster.certificateAuthority().data())
            .withOauthToken(token)
            .withRequestRetryBackoffLimit(0)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Test
  void clusterApiTakesEksTokensAndShowsTheNodeGroupsNodes() throws Exception {
    sandbox =
        Sandbox.start(SandboxOptions.defaults(state).withOperationDuration(Duration.ofMillis(50)));
    Cluster cluster;
    try (IamClient iam = AwsClients.iam(sandbox);
        Ec2Client ec2 = AwsClients.ec2(sandbox);
        EksClient eks = AwsClients.eks(sandbox);
        EksWaiter waiter =
            EksWaiter.builder()
                .client(eks)
                .overrideConfiguration(AwsClients.quickWaiter())
                .build()) {
      AwsClients.ClusterNetwork network = AwsClients.clusterNetwork(iam, ec2);
      String role = network.roleArn();
      List<String> subnets = network.subnets();
      eks.createCluster(
          r ->
              r.name("gitpod")
                  .version("1.31")
                  .roleArn(role)
                  .resourcesVpcConfig(v -> v.subnetIds(subnets)));
      waiter.waitUntilClusterActive(r -> r.name("gitpod"));
      eks.createNodegroup(
          r ->
              r.clusterName("gitpod")
                  .nodegroupName("services")
                  .nodeRole(role)
                  .subnets(subnets)
                  .labels(Map.of("gitpod.io/workload_services", "true"))
                  .scalingConfig(s -> s.minSize(1).maxSize(4).desiredSize(2)));
      waiter.waitUntilNodegroupActive(r -> r.clusterName("gitpod").nodegroupName("services"));
      cluster = eks.describeCluster(r -> r.name("gitpod")).cluster();
    }
    assertThat(cluster.endpoint()).startsWith("https://127.1.");

    try (KubernetesClient kube = kube(cluster, token("gitpod", Duration.ofSeconds(60)))) {
      assertThat(kube.getKubernetesVersion().getGitVersion()).startsWith("v1.31");
      List<Node> nodes = kube.nodes().list().getItems();
      assertThat(nodes).hasSize(2);
      assertThat(nodes)
          .allSatisfy(
              n -> {
                assertThat(n.getMetadata().getLabels())
                    .containsEntry("gitpod.io/workload_services", "true")
                    .containsEntry("eks.amazonaws.com/nodegroup", "services");
                assertThat(n.getMetadata().getName()).matches("ip-10-0-\\d+-\\d+\\.ec2\\.internal");
              });
      assertThat(nodes)
          .extracting(n -> n.getMetadata().getLabels().get("topology.kubernetes.io/zone"))
          .containsExactlyInAnyOrder("us-east-1a", "us-east-1b");
      // A new EKS cluster runs the VPC CNI (aws-node), kube-proxy and CoreDNS; nodes that join
      // with the VPC CNI get their instance type's ENI-bound max pods (t3.medium, EKS's default
      // instance type: 3 ENIs of 6 addresses, 17 pods).
      assertThat(kube.apps().daemonSets().inNamespace("kube-system").list().getItems())
          .extracting(d -> d.getMetadata().getName())
          .containsExactlyInAnyOrder("aws-node", "kube-proxy");
      assertThat(kube.apps().deployments().inNamespace("kube-system").withName("coredns").get())
          .isNotNull();
      assertThat(nodes)
          .allSatisfy(
              n -> assertThat(n.getStatus().getCapacity().get("pods").getAmount()).isEqualTo("17"));
      ClusterRoleBinding binding =
          new ClusterRoleBindingBuilder()
              .withNewMetadata()
              .withName("gitpod-admin")
              .endMetadata()
              .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
              .addNewSubject()
              .withKind("User")
              .withName("admin")
              .endSubject()
              .build();
      kube.rbac().clusterRoleBindings().resource(binding).create();
    }
    assertThat(sandbox.inventory())
        .anyMatch(l -> l.startsWith("k8s gitpod ") && l.contains("gitpod-admin"));

    // Not an EKS token, and an EKS token whose presigned URL has expired.
    String expired = token("gitpod", Duration.ofSeconds(1));
    Thread.sleep(1100);
    // A good token of a principal without an access entry: EKS lets in only those it maps.
    String stranger = token("gitpod", Duration.ofSeconds(60), "AKIASOMEONEELSE");
    for (String bad : List.of("sandbox.not-an-eks-token", expired, stranger)) {
      try (KubernetesClient kube = kube(cluster, bad)) {
        assertThatThrownBy(() -> kube.nodes().list())
            .isInstanceOfSatisfying(
                KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
      }
    }

    // A restarted sandbox serves the cluster again, with its CA and the objects users created.
    sandbox.close();
    sandbox =
        Sandbox.start(SandboxOptions.defaults(state).withOperationDuration(Duration.ofMillis(50)));
    Cluster again;
    try (EksClient eks = AwsClients.eks(sandbox)) {
      again = eks.describeCluster(r -> r.name("gitpod")).cluster();
    }
    assertThat(again.certificateAuthority().data())
        .isEqualTo(cluster.certificateAuthority().data());
    try (KubernetesClient kube = kube(again, token("gitpod", Duration.ofSeconds(60)))) {
      assertThat(kube.rbac().clusterRoleBindings().withName("gitpod-admin").get()).isNotNull();
      assertThat(kube.nodes().list().getItems()).hasSize(2);
    }
  }

  /**
   * A new cluster has EKS's networking add-ons in kube-system (what the seed's {@code kubectl
   * delete daemonset -n kube-system aws-node} removes), unless CreateCluster turns them off; and
   * the /openapi/v3 documents kubectl reads before {@code create -f} to learn the server validates
   * fields (without them kubectl fails with "failed to download openapi").
   */
  @Test
  void newClustersHaveTheNetworkingAddOnsAndServeOpenApiV3() throws Exception {
    sandbox =
        Sandbox.start(SandboxOptions.defaults(state).withOperationDuration(Duration.ofMillis(50)));
    Cluster withAddOns;
    Cluster bare;
    try (IamClient iam = AwsClients.iam(sandbox);
        Ec2Client ec2 = AwsClients.ec2(sandbox);
        EksClient eks = AwsClients.eks(sandbox);
        EksWaiter waiter =
            EksWaiter.builder()
                .client(eks)
                .overrideConfiguration(AwsClients.quickWaiter())
                .build()) {
      AwsClients.ClusterNetwork network = AwsClients.clusterNetwork(iam, ec2);
      String role = network.roleArn();
      List<String> subnets = network.subnets();
      eks.createCluster(
          r ->
              r.name("gitpod")
                  .version("1.22")
                  .roleArn(role)
                  .resourcesVpcConfig(v -> v.subnetIds(subnets)));
      eks.createCluster(
          r ->
              r.name("bare")
                  .roleArn(role)
                  .bootstrapSelfManagedAddons(false)
                  .resourcesVpcConfig(v -> v.subnetIds(subnets)));
      waiter.waitUntilClusterActive(r -> r.name("gitpod"));
      waiter.waitUntilClusterActive(r -> r.name("bare"));
      withAddOns = eks.describeCluster(r -> r.name("gitpod")).cluster();
      bare = eks.describeCluster(r -> r.name("bare")).cluster();
    }

    try (KubernetesClient kube = kube(withAddOns, token("gitpod", Duration.ofSeconds(60)))) {
      assertThat(kube.apps().daemonSets().inNamespace("kube-system").list().getItems())
          .extracting(d -> d.getMetadata().getName())
          .containsExactlyInAnyOrder("aws-node", "kube-proxy");
      assertThat(kube.apps().deployments().inNamespace("kube-system").list().getItems())
          .extracting(d -> d.getMetadata().getName())
          .containsExactly("coredns");
      assertThat(
              kube.apps()
                  .daemonSets()
                  .inNamespace("kube-system")
                  .withName("kube-proxy")
                  .get()
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getImage())
          .endsWith("/eks/kube-proxy:v1.22.0-eksbuild.1");

      JsonNode paths = JSON.readTree(kube.raw("/openapi/v3")).path("paths");
      assertThat(paths.has("api/v1")).as(paths.toString()).isTrue();
      assertThat(paths.has("apis/operator.tigera.io/v1")).as(paths.toString()).isTrue();
      String apps = paths.path("apis/apps/v1").path("serverRelativeURL").asText();
      assertThat(apps).startsWith("/openapi/v3/apis/apps/v1?hash=");
      JsonNode patch =
          JSON.readTree(kube.raw(apps))
              .path("paths")
              .path("/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}")
              .path("patch");
      assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText())
          .isEqualTo("DaemonSet");
      assertThat(patch.path("parameters"))
          .anySatisfy(
              p -> {
                assertThat(p.path("name").asText()).isEqualTo("fieldValidation");
                assertThat(p.path("in").asText()).isEqualTo("query");
              });
      assertThat(kube.raw("/openapi/v3/apis/no.such.group/v1")).isNull();
    }
    try (KubernetesClient kube = kube(bare, token("bare", Duration.ofSeconds(60)))) {
      assertThat(kube.apps().daemonSets().inNamespace("kube-system").list().getItems()).isEmpty();
      assertThat(kube.apps().deployments().inNamespace("kube-system").list().getItems()).isEmpty();
    }
  }
}
