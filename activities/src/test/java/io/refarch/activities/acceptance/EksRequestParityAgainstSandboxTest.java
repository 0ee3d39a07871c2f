package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.refarch.activities.eks.AwsClients;
import io.refarch.sandbox.core.RecordedRequest;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Progress.Phase;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each field of the 002 seed's eksctl ClusterConfig, read from the seed page itself, found in the
 * requests one clean run of {@code examples/eks.yaml} sent to the sandbox's AWS: what eksctl would
 * have asked AWS for, refarch asks for too. Query bodies are read as form parameters, EKS's as
 * JSON, the nodes' user data decoded.
 */
class EksRequestParityAgainstSandboxTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static TestWorkflowEnvironment temporal;
  private static SandboxWorker cloud;
  private static JsonNode seed;
  private static List<RecordedRequest> requests;
  private static List<String> inventory;

  @BeforeAll
  static void provisionOnce() throws Exception {
    seed = clusterConfig();
    temporal = SandboxWorker.temporal();
    cloud = SandboxWorker.start(temporal, dir, Duration.ofMillis(50));
    ClusterSpec spec = SandboxWorker.eksPreset();
    assertThat(cloud.provision(spec).provision(spec).result()).isEqualTo(Phase.SUCCEEDED);
    requests = cloud.sandbox.requests();
    inventory = cloud.inventory();
  }

  @AfterAll
  static void stop() throws Exception {
    cloud.close();
    temporal.close();
  }

  /** The ```yaml block after the seed's "**gitpod-cluster.yaml**" title (as EksctlSeed cuts it). */
  static JsonNode clusterConfig() throws IOException {
    List<String> lines =
        Files.readAllLines(
            Path.of("../workflows/src/test/resources/seeds/002_7452e532849920b1.txt"));
    int title = lines.indexOf("**gitpod-cluster.yaml**");
    assertThat(title).as("the seed's eksctl file").isNotNegative();
    assertThat(lines.get(title + 1)).isEqualTo("```yaml");
    StringBuilder block = new StringBuilder();
    for (int i = title + 2; !lines.get(i).equals("```"); i++) {
      block.append(lines.get(i)).append('\n');
    }
    return new ObjectMapper(new YAMLFactory()).readTree(block.toString());
  }

  // ---- metadata ----

  @Test
  void metadataRegionIsWhereEverythingIsCreated() {
    String region = seed.path("metadata").path("region").asText();
    assertThat(inventory)
        .filteredOn(l -> l.startsWith("ec2 ") || l.startsWith("eks "))
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l.split(" ")[1]).isEqualTo(region));
    assertThat(forms("CreateSubnet"))
        .hasSize(6)
        .allSatisfy(p -> assertThat(p.get("AvailabilityZone")).startsWith(region));
    assertThat(single("CreateOpenIDConnectProvider").get("Url"))
        .startsWith("https://oidc.eks." + region + ".amazonaws.com/id/");
  }

  @Test
  void metadataNameAndVersionAreTheControlPlanesInCreateCluster() {
    JsonNode create = json("CreateCluster").get(0);
    assertThat(create.path("name").asText()).isEqualTo(seed.path("metadata").path("name").asText());
    assertThat(create.path("version").asText())
        .isEqualTo(seed.path("metadata").path("version").asText());
  }

  @Test
  void metadataTagsAreOnEveryResourceCreated() {
    Map<String, String> tags = strings(seed.path("metadata").path("tags"));
    assertThat(tags).containsOnlyKeys("department", "project");
    // EC2: the network's resources, tagged as they are created.
    List<String> ec2Creates =
        List.of(
            "CreateVpc",
            "CreateInternetGateway",
            "CreateSubnet",
            "CreateRouteTable",
            "AllocateAddress",
            "CreateNatGateway",
            "CreateSecurityGroup",
            "CreateLaunchTemplate");
    for (String create : ec2Creates) {
      assertThat(forms(create))
          .as(create)
          .isNotEmpty()
          .allSatisfy(
              p -> assertThat(tagSpecifications(p, "TagSpecification")).containsAllEntriesOf(tags));
    }
    // The instances and volumes the node groups start.
    for (Map<String, String> p : forms("CreateLaunchTemplate")) {
      Map<String, Map<String, String>> byType =
          tagSpecificationsByType(p, "LaunchTemplateData.TagSpecification");
      assertThat(byType).containsOnlyKeys("instance", "volume");
      byType.values().forEach(t -> assertThat(t).containsAllEntriesOf(tags));
    }
    // IAM: every role and the OIDC provider.
    assertThat(forms("CreateRole"))
        .hasSize(6)
        .allSatisfy(p -> assertThat(members(p, "Tags")).containsAllEntriesOf(tags));
    assertThat(members(single("CreateOpenIDConnectProvider"), "Tags")).containsAllEntriesOf(tags);
    // EKS: the cluster, the node groups and the access entry.
    for (String create : List.of("CreateCluster", "CreateNodegroup", "CreateAccessEntry")) {
      assertThat(json(create))
          .as(create)
          .isNotEmpty()
          .allSatisfy(b -> assertThat(strings(b.path("tags"))).containsAllEntriesOf(tags));
    }
    // The node groups' Auto Scaling groups (propagateASGTags).
    assertThat(forms("CreateOrUpdateTags"))
        .hasSize(2)
        .allSatisfy(p -> assertThat(members(p, "Tags")).containsAllEntriesOf(tags));
  }

  // ---- iam ----

  @Test
  void iamWithOidcCreatesTheClustersOpenIdConnectProvider() {
    assertThat(seed.path("iam").path("withOIDC").asBoolean()).isTrue();
    Map<String, String> provider = single("CreateOpenIDConnectProvider");
    assertThat(list(provider, "ClientIDList.member")).containsExactly("sts.amazonaws.com");
    assertThat(list(provider, "ThumbprintList.member"))
        .singleElement()
        .satisfies(t -> assertThat(t).matches("[0-9a-f]{40}"));
    String hostPath = provider.get("Url").substring("https://".length());
    assertThat(inventory).contains("iam oidc-provider " + providerArn(hostPath));
  }

  @Test
  void iamServiceAccountsGetAnIrsaRoleTrustedByTheProviderAndTheAnnotation() throws Exception {
    String hostPath = single("CreateOpenIDConnectProvider").get("Url").substring(8);
    JsonNode accounts = seed.path("iam").path("serviceAccounts");
    assertThat(accounts).hasSize(4);
    for (JsonNode account : accounts) {
      String name = account.path("metadata").path("name").asText();
      String namespace = account.path("metadata").path("namespace").asText();
      String role = "gitpod-" + name;
      Map<String, String> create =
          forms("CreateRole").stream()
              .filter(p -> role.equals(p.get("RoleName")))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no CreateRole " + role));
      JsonNode statement = JSON.readTree(create.get("AssumeRolePolicyDocument")).path("Statement");
      assertThat(statement).as(role).hasSize(1);
      JsonNode trust = statement.get(0);
      assertThat(trust.path("Effect").asText()).isEqualTo("Allow");
      assertThat(trust.path("Principal").path("Federated").asText())
          .isEqualTo(providerArn(hostPath));
      assertThat(trust.path("Action").asText()).isEqualTo("sts:AssumeRoleWithWebIdentity");
      JsonNode equals = trust.path("Condition").path("StringEquals");
      assertThat(equals.path(hostPath + ":sub").asText())
          .isEqualTo("system:serviceaccount:" + namespace + ":" + name);
      assertThat(equals.path(hostPath + ":aud").asText()).isEqualTo("sts.amazonaws.com");

      // wellKnownPolicies: the policy eksctl writes for it, inline on the role.
      String wellKnown = account.path("wellKnownPolicies").fieldNames().next();
      String marker =
          switch (wellKnown) {
            case "awsLoadBalancerController" -> "elasticloadbalancing:CreateLoadBalancer";
            case "ebsCSIController" -> "ec2:CreateVolume";
            case "autoScaler" -> "autoscaling:SetDesiredCapacity";
            case "certManager" -> "route53:ChangeResourceRecordSets";
            default -> throw new AssertionError("a well-known policy this test does not know");
          };
      assertThat(forms("PutRolePolicy"))
          .filteredOn(p -> role.equals(p.get("RoleName")))
          .as(role + " " + wellKnown)
          .anySatisfy(p -> assertThat(p.get("PolicyDocument")).contains(marker));

      // The account in the cluster, annotated with its role.
      JsonNode serviceAccount =
          kubeCreates("/api/v1/namespaces/" + namespace + "/serviceaccounts").stream()
              .filter(b -> b.path("metadata").path("name").asText().equals(name))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no service account " + name));
      assertThat(
              serviceAccount
                  .path("metadata")
                  .path("annotations")
                  .path("eks.amazonaws.com/role-arn")
                  .asText())
          .isEqualTo("arn:aws:iam::000000000000:role/" + role);
    }
  }

  // ---- vpc ----

  @Test
  void vpcIsEksctlsDefaultCidrWithoutIpv6() {
    // The seed writes no vpc.cidr: eksctl's default is 192.168.0.0/16.
    assertThat(seed.path("vpc").has("cidr")).isFalse();
    Map<String, String> vpc = single("CreateVpc");
    assertThat(vpc.get("CidrBlock")).isEqualTo("192.168.0.0/16");
    assertThat(seed.path("vpc").path("autoAllocateIPv6").asBoolean()).isFalse();
    assertThat(vpc).doesNotContainKey("AmazonProvidedIpv6CidrBlock");
  }

  @Test
  void vpcNatGatewaySingleIsOneGatewayForEveryPrivateSubnet() {
    assertThat(seed.path("vpc").path("nat").path("gateway").asText()).isEqualTo("Single");
    assertThat(forms("CreateNatGateway")).hasSize(1);
    List<String> viaNat =
        forms("CreateRoute").stream()
            .map(p -> p.get("NatGatewayId"))
            .filter(id -> id != null)
            .toList();
    assertThat(viaNat).hasSize(3);
    assertThat(new TreeSet<>(viaNat)).hasSize(1);
  }

  @Test
  void vpcClusterEndpointsAndPublicAccessCidrsAreTheControlPlanesAccess() {
    JsonNode vpc = seed.path("vpc");
    JsonNode config = json("CreateCluster").get(0).path("resourcesVpcConfig");
    assertThat(config.path("endpointPrivateAccess").asBoolean())
        .isEqualTo(vpc.path("clusterEndpoints").path("privateAccess").asBoolean());
    assertThat(config.path("endpointPublicAccess").asBoolean())
        .isEqualTo(vpc.path("clusterEndpoints").path("publicAccess").asBoolean());
    assertThat(texts(config.path("publicAccessCidrs")))
        .containsExactlyElementsOf(texts(vpc.path("publicAccessCIDRs")));
    // The control plane's ENIs go into all six subnets, as eksctl's do.
    assertThat(config.path("subnetIds")).hasSize(6);
  }

  // ---- cloudWatch ----

  @Test
  void cloudWatchClusterLoggingAllTypesEnablesEveryControlPlaneLog() {
    assertThat(texts(seed.path("cloudWatch").path("clusterLogging").path("enableTypes")))
        .containsExactly("*");
    JsonNode logging = json("CreateCluster").get(0).path("logging").path("clusterLogging");
    List<String> enabled = new ArrayList<>();
    for (JsonNode setup : logging) {
      if (setup.path("enabled").asBoolean()) {
        enabled.addAll(texts(setup.path("types")));
      }
    }
    assertThat(enabled)
        .containsExactlyInAnyOrder(
            "api", "audit", "authenticator", "controllerManager", "scheduler");
  }

  // ---- managedNodeGroups ----

  @Test
  void managedNodeGroupsSizesLabelsTagsAndSubnetsAreInCreateNodegroup() {
    List<String> privateSubnets =
        inventory.stream()
            .filter(l -> l.startsWith("ec2 eu-west-1 subnet ") && l.contains("/subnet/private/"))
            .map(l -> l.split(" ")[3])
            .toList();
    assertThat(privateSubnets).hasSize(3);
    JsonNode groups = seed.path("managedNodeGroups");
    assertThat(groups).hasSize(2);
    for (JsonNode group : groups) {
      String name = group.path("name").asText();
      JsonNode create = nodegroup(name);
      JsonNode scaling = create.path("scalingConfig");
      assertThat(scaling.path("desiredSize").asInt())
          .isEqualTo(group.path("desiredCapacity").asInt());
      assertThat(scaling.path("minSize").asInt()).isEqualTo(group.path("minSize").asInt());
      assertThat(scaling.path("maxSize").asInt()).isEqualTo(group.path("maxSize").asInt());
      assertThat(strings(create.path("labels"))).isEqualTo(strings(group.path("labels")));
      assertThat(strings(create.path("tags"))).containsAllEntriesOf(strings(group.path("tags")));
      // privateNetworking: the nodes go into the private subnets only.
      assertThat(group.path("privateNetworking").asBoolean()).isTrue();
      assertThat(texts(create.path("subnets"))).containsExactlyInAnyOrderElementsOf(privateSubnets);
      // spot: false
      assertThat(group.path("spot").asBoolean()).isFalse();
      assertThat(create.path("capacityType").asText("ON_DEMAND")).isEqualTo("ON_DEMAND");
      // The node group's instances come from its launch template (instance type, disk, AMI).
      String template =
          inventory.stream()
              .filter(
                  l ->
                      l.startsWith("ec2 eu-west-1 launch-template ")
                          && l.endsWith(" gitpod-" + name))
              .map(l -> l.split(" ")[3])
              .findFirst()
              .orElseThrow();
      assertThat(create.path("launchTemplate").path("id").asText()).isEqualTo(template);
      assertThat(create.path("nodeRole").asText()).endsWith(":role/gitpod-nodes");
    }
  }

  @Test
  void managedNodeGroupsInstanceTypeAndVolumeAreInTheLaunchTemplate() {
    for (JsonNode group : seed.path("managedNodeGroups")) {
      String name = group.path("name").asText();
      Map<String, String> data = launchTemplateData(name);
      assertThat(List.of(data.get("InstanceType")))
          .as(name)
          .containsExactlyElementsOf(texts(group.path("instanceTypes")));
      assertThat(data.get("EbsOptimized"))
          .isEqualTo(String.valueOf(group.path("ebsOptimized").asBoolean()));
      // Ubuntu's root device, the one volume the node boots from.
      assertThat(data.get("BlockDeviceMapping.1.DeviceName")).isEqualTo("/dev/sda1");
      assertThat(data).doesNotContainKey("BlockDeviceMapping.2.DeviceName");
      assertThat(data.get("BlockDeviceMapping.1.Ebs.VolumeSize"))
          .isEqualTo(group.path("volumeSize").asText());
      assertThat(data.get("BlockDeviceMapping.1.Ebs.VolumeType"))
          .isEqualTo(group.path("volumeType").asText());
      assertThat(data.get("BlockDeviceMapping.1.Ebs.Iops"))
          .isEqualTo(group.path("volumeIOPS").asText());
      assertThat(data.get("BlockDeviceMapping.1.Ebs.Throughput"))
          .isEqualTo(group.path("volumeThroughput").asText());
      // disableIMDSv1: false, so tokens stay optional.
      assertThat(group.path("disableIMDSv1").asBoolean()).isFalse();
      assertThat(data.getOrDefault("MetadataOptions.HttpTokens", "optional")).isEqualTo("optional");
    }
  }

  @Test
  void managedNodeGroupsMaxPodsAndPreBootstrapCommandsAreInTheUserData() {
    for (JsonNode group : seed.path("managedNodeGroups")) {
      String name = group.path("name").asText();
      String script =
          new String(
              Base64.getDecoder().decode(launchTemplateData(name).get("UserData")),
              StandardCharsets.UTF_8);
      List<String> lines = script.lines().toList();
      List<String> commands = texts(group.path("preBootstrapCommands"));
      assertThat(commands).hasSize(3);
      // Each command a line of its own, in the seed's order, before bootstrap.sh joins the node.
      assertThat(lines).as(name).containsSubsequence(commands);
      String bootstrap =
          lines.stream()
              .filter(l -> l.startsWith("/etc/eks/bootstrap.sh "))
              .findFirst()
              .orElseThrow();
      assertThat(lines.indexOf(bootstrap)).isGreaterThan(lines.indexOf(commands.get(2)));
      assertThat(bootstrap)
          .contains("--max-pods=" + group.path("maxPodsPerNode").asInt())
          .contains("--use-max-pods false")
          .contains("--container-runtime containerd");
      for (Map.Entry<String, String> label : strings(group.path("labels")).entrySet()) {
        assertThat(bootstrap).contains(label.getKey() + "=" + label.getValue());
      }
    }
  }

  @Test
  void managedNodeGroupsAmiFamilyUbuntu2004IsTheImageCanonicalPublishes() {
    String version = seed.path("metadata").path("version").asText();
    for (JsonNode group : seed.path("managedNodeGroups")) {
      assertThat(group.path("amiFamily").asText()).isEqualTo("Ubuntu2004");
    }
    List<String> parameters =
        requests.stream()
            .filter(r -> "GetParameter".equals(AwsRequests.operation(r)))
            .map(r -> AwsRequests.json(r).path("Name").asText())
            .distinct()
            .toList();
    // Canonical's parameter for Ubuntu 20.04 EKS images of the cluster's version, on x86 (m6i).
    assertThat(parameters)
        .containsExactly(
            "/aws/service/canonical/ubuntu/eks/20.04/"
                + version
                + "/stable/current/amd64/hvm/ebs-gp2/ami-id");
    String image;
    try (AwsClients aws =
        AwsClients.connect(
            SandboxWorker.aws(cloud.sandbox), seed.path("metadata").path("region").asText())) {
      image = aws.ssm.getParameter(r -> r.name(parameters.get(0))).parameter().value();
    }
    for (JsonNode group : seed.path("managedNodeGroups")) {
      assertThat(launchTemplateData(group.path("name").asText()).get("ImageId")).isEqualTo(image);
    }
  }

  @Test
  void managedNodeGroupsAttachPolicyArnsAreExactlyTheNodeRolesPolicies() {
    for (JsonNode group : seed.path("managedNodeGroups")) {
      assertThat(
              forms("AttachRolePolicy").stream()
                  .filter(p -> "gitpod-nodes".equals(p.get("RoleName")))
                  .map(p -> p.get("PolicyArn"))
                  .toList())
          .containsExactlyInAnyOrderElementsOf(texts(group.path("iam").path("attachPolicyARNs")));
    }
    Map<String, String> nodes =
        forms("CreateRole").stream()
            .filter(p -> "gitpod-nodes".equals(p.get("RoleName")))
            .findFirst()
            .orElseThrow();
    assertThat(nodes.get("AssumeRolePolicyDocument")).contains("ec2.amazonaws.com");
  }

  @Test
  void managedNodeGroupsPropagateAsgTagsTagsEachAutoScalingGroup() {
    for (JsonNode group : seed.path("managedNodeGroups")) {
      String name = group.path("name").asText();
      assertThat(group.path("propagateASGTags").asBoolean()).isTrue();
      List<Map<String, String>> tagged =
          forms("CreateOrUpdateTags").stream()
              .filter(p -> p.get("Tags.member.1.ResourceId").startsWith("eks-" + name + "-"))
              .toList();
      assertThat(tagged).as(name).hasSize(1);
      Map<String, String> tags = members(tagged.get(0), "Tags");
      assertThat(tags).containsAllEntriesOf(strings(group.path("tags")));
      // eksctl also turns the labels into the autoscaler's node-template tags.
      strings(group.path("labels"))
          .forEach(
              (k, v) ->
                  assertThat(tags)
                      .containsEntry("k8s.io/cluster-autoscaler/node-template/label/" + k, v));
    }
  }

  // ---- reading the requests ----

  private static List<Map<String, String>> forms(String operation) {
    return requests.stream()
        .filter(r -> operation.equals(AwsRequests.operation(r)))
        .map(AwsRequests::form)
        .toList();
  }

  private static Map<String, String> single(String operation) {
    List<Map<String, String>> all = forms(operation);
    assertThat(all).as(operation).hasSize(1);
    return all.get(0);
  }

  private static List<JsonNode> json(String operation) {
    return requests.stream()
        .filter(r -> operation.equals(AwsRequests.operation(r)))
        .map(AwsRequests::json)
        .toList();
  }

  private static JsonNode nodegroup(String name) {
    return json("CreateNodegroup").stream()
        .filter(b -> b.path("nodegroupName").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no CreateNodegroup " + name));
  }

  /** The launch template's data, {@code LaunchTemplateData.} left off the keys. */
  private static Map<String, String> launchTemplateData(String group) {
    Map<String, String> create =
        forms("CreateLaunchTemplate").stream()
            .filter(p -> ("gitpod-" + group).equals(p.get("LaunchTemplateName")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no launch template for " + group));
    Map<String, String> data = new LinkedHashMap<>();
    create.forEach(
        (k, v) -> {
          if (k.startsWith("LaunchTemplateData.")) {
            data.put(k.substring("LaunchTemplateData.".length()), v);
          }
        });
    return data;
  }

  private static List<JsonNode> kubeCreates(String path) {
    return requests.stream()
        .filter(r -> r.method().equals("POST") && r.path().equals(path))
        .map(AwsRequests::json)
        .toList();
  }

  /** EC2's {@code PREFIX.N.Tag.M.Key/Value}, all specifications together. */
  private static Map<String, String> tagSpecifications(Map<String, String> p, String prefix) {
    Map<String, String> tags = new LinkedHashMap<>();
    tagSpecificationsByType(p, prefix).values().forEach(tags::putAll);
    return tags;
  }

  private static Map<String, Map<String, String>> tagSpecificationsByType(
      Map<String, String> p, String prefix) {
    Map<String, Map<String, String>> byType = new LinkedHashMap<>();
    for (int n = 1; p.containsKey(prefix + "." + n + ".ResourceType"); n++) {
      Map<String, String> tags = new LinkedHashMap<>();
      for (int m = 1; p.containsKey(prefix + "." + n + ".Tag." + m + ".Key"); m++) {
        tags.put(
            p.get(prefix + "." + n + ".Tag." + m + ".Key"),
            p.get(prefix + "." + n + ".Tag." + m + ".Value"));
      }
      byType.put(p.get(prefix + "." + n + ".ResourceType"), tags);
    }
    return byType;
  }

  /** IAM's and Auto Scaling's {@code PREFIX.member.N.Key/Value}. */
  private static Map<String, String> members(Map<String, String> p, String prefix) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int n = 1; p.containsKey(prefix + ".member." + n + ".Key"); n++) {
      tags.put(p.get(prefix + ".member." + n + ".Key"), p.get(prefix + ".member." + n + ".Value"));
    }
    return tags;
  }

  private static List<String> list(Map<String, String> p, String prefix) {
    List<String> values = new ArrayList<>();
    for (int n = 1; p.containsKey(prefix + "." + n); n++) {
      values.add(p.get(prefix + "." + n));
    }
    return values;
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> values = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
    return values;
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static String providerArn(String hostPath) {
    return "arn:aws:iam::000000000000:oidc-provider/" + hostPath;
  }
}
