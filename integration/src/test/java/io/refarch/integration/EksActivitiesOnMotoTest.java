package io.refarch.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refarch.activities.Caller;
import io.refarch.activities.Heartbeat;
import io.refarch.activities.WorkerStopping;
import io.refarch.activities.eks.AwsClients;
import io.refarch.activities.eks.AwsConnection;
import io.refarch.activities.eks.EksActivitiesImpl;
import io.refarch.activities.eks.EksKubeAccess;
import io.refarch.activities.eks.Ownership;
import io.refarch.activities.eks.Waiter;
import io.refarch.activities.eks.accessentry.AccessEntries;
import io.refarch.activities.eks.iam.PolicyDocuments;
import io.refarch.activities.eks.network.NetworkPlan;
import io.refarch.activities.eks.network.NetworkReconciler;
import io.refarch.activities.eks.nodegroup.SsmNodeImages;
import io.refarch.activities.gke.operation.PollSchedule;
import io.refarch.spec.AwsOptions;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.Specs;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.eks.EksActivities;
import io.refarch.workflow.eks.NetworkRef;
import io.refarch.workflow.kubernetes.ClusterRef;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;

/**
 * The EKS activities through the real AWS SDK for Java v2, over the wire against moto's server, run
 * as Temporal activities (heartbeats work as on a worker): everything of examples/eks.yaml is
 * ensured, checked with the SDK's describes, ensured again (adopted, nothing made twice), and torn
 * down in the procedure's reverse order; what the test made untagged beforehand survives.
 *
 * <p>What moto (5.2.x) lacks, and how the test stands in for it:
 *
 * <ul>
 *   <li>EKS access entries (CreateAccessEntry, DescribeAccessEntry, AssociateAccessPolicy,
 *       ListAssociatedAccessPolicies): a recording {@link AccessEntries} takes their place.
 *   <li>The public SSM parameters of node images (Canonical's {@code /aws/service/canonical/...},
 *       Amazon's {@code /aws/service/eks/optimized-ami/...}), and {@code /aws/...} names cannot be
 *       written: a fixed AMI id stands in; the parameter name asked for is checked.
 *   <li>Real state transitions: clusters, node groups and NAT gateways are ACTIVE/available at
 *       once, so the waits return on their first read.
 *   <li>The Auto Scaling group EKS makes for a node group: moto names one in the node group's
 *       resources but does not create it (CreateOrUpdateTags on it answers 500): a recording {@code
 *       AutoScalingGroupTags} takes the tags, which are checked.
 *   <li>The tag filters of DescribeNatGateways: moto returns every cluster's NAT gateways. The
 *       activities check a resource's tags again on what a describe returns, which this caught.
 *   <li>Most DependencyViolations: moto raises it for a VPC that still has subnets or route tables,
 *       but deletes a subnet that still has network interfaces (real EC2 refuses), so the
 *       dependency test blocks the VPC with a foreign subnet.
 * </ul>
 */
class EksActivitiesOnMotoTest {
  private static final String REGION = "us-west-2";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static MotoServer moto;
  private static AwsConnection connection;

  private final List<String> heartbeats = Collections.synchronizedList(new ArrayList<>());
  private final List<String> admins = Collections.synchronizedList(new ArrayList<>());
  private final List<String> imageParameters = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Map<String, String>> groupTags =
      Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<TestActivityEnvironment> envs = new ArrayList<>();
  private final List<EksActivitiesImpl> impls = new ArrayList<>();
  private AwsClients aws;

  @BeforeAll
  static void startMoto() throws Exception {
    assumeTrue(MotoServer.binary() != null, "refarch.moto is not set: no moto_server to run");
    Path runDir = Path.of(System.getProperty("refarch.runDir", "target/run")).toAbsolutePath();
    moto = MotoServer.start(runDir.resolve("moto/moto.log"));
    connection = AwsConnection.emulator(moto.endpoint, "testing", "testing");
  }

  @AfterAll
  static void stopMoto() {
    if (moto != null) {
      moto.close();
    }
  }

  @AfterEach
  void close() {
    envs.forEach(TestActivityEnvironment::close);
    impls.forEach(EksActivitiesImpl::close);
    if (aws != null) {
      aws.close();
    }
  }

  /** The activities as run {@code runId} calls them (a teardown if {@code teardown}). */
  private EksActivities activities(String runId, boolean teardown) {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    Supplier<Caller> caller = () -> new Caller(runId, teardown);
    EksActivitiesImpl impl =
        new EksActivitiesImpl(
            connection,
            PollSchedule.gke(Duration.ofMillis(100), Duration.ofMillis(500)),
            new WorkerStopping(),
            caller,
            new EksActivitiesImpl.Parts(
                clients -> new RecordingAccessEntries(),
                clients ->
                    (family, version, arch) -> {
                      imageParameters.add(SsmNodeImages.parameter(family, version, arch));
                      return "ami-0abcdef1234567890";
                    },
                clients -> (group, tags) -> groupTags.put(group, tags)));
    env.registerActivitiesImplementations(impl);
    env.setActivityHeartbeatListener(String.class, heartbeats::add);
    envs.add(env);
    impls.add(impl);
    return env.newActivityStub(
        EksActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(2))
            .setHeartbeatTimeout(Duration.ofSeconds(30))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build());
  }

  private final class RecordingAccessEntries implements AccessEntries {
    @Override
    public boolean exists(String cluster, String principalArn) {
      return admins.contains(cluster + " " + principalArn + " entry");
    }

    @Override
    public void create(String cluster, String principalArn, Map<String, String> tags) {
      admins.add(cluster + " " + principalArn + " entry");
    }

    @Override
    public boolean hasClusterAdmin(String cluster, String principalArn) {
      return admins.contains(cluster + " " + principalArn + " admin");
    }

    @Override
    public void associateClusterAdmin(String cluster, String principalArn) {
      admins.add(cluster + " " + principalArn + " admin");
    }
  }

  private static ClusterSpec spec(String name) throws Exception {
    Path repo = Path.of(System.getProperty("refarch.repo", "..")).toAbsolutePath().normalize();
    String yaml =
        Files.readString(repo.resolve("examples/eks.yaml"))
            .replace("region: eu-west-1", "region: " + REGION)
            .replace("name: gitpod\n", "name: " + name + "\n");
    Path file = Files.createTempFile("eks", ".yaml");
    Files.writeString(file, yaml);
    return Specs.load(file);
  }

  @Test
  void ensuresEverythingAdoptsOnSecondRunAndTearsDownOnlyWhatIsTagged() throws Exception {
    aws = AwsClients.connect(connection, REGION);
    ClusterSpec spec = spec("gitpod");
    String name = spec.name();
    // Made by someone else, untagged: must survive everything below.
    String bystanderVpc = aws.ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    aws.iam.createRole(
        r ->
            r.roleName("bystander")
                .assumeRolePolicyDocument(PolicyDocuments.trustService("ec2.amazonaws.com")));

    EksActivities run = activities("run-1", false);
    Provisioned first = provision(run, spec);

    // ---- network ----
    NetworkRef network = first.network;
    assertThat(aws.ec2.describeVpcs(r -> r.vpcIds(network.vpcId())).vpcs().get(0).cidrBlock())
        .isEqualTo("192.168.0.0/16");
    assertThat(network.publicSubnetIds()).hasSize(3);
    assertThat(network.privateSubnetIds()).hasSize(3);
    List<Subnet> subnets = aws.ec2.describeSubnets(r -> r.filters(owned(name))).subnets();
    assertThat(subnets)
        .extracting(Subnet::cidrBlock)
        .containsExactlyInAnyOrder(
            "192.168.0.0/19",
            "192.168.32.0/19",
            "192.168.64.0/19",
            "192.168.96.0/19",
            "192.168.128.0/19",
            "192.168.160.0/19");
    for (Subnet s : subnets) {
      Map<String, String> tags = tags(s.tags());
      assertThat(tags)
          .containsEntry("department", "cs")
          .containsEntry("project", "gitpod")
          .containsEntry(Ownership.CLUSTER, name)
          .containsEntry(Ownership.RUN, "run-1")
          .containsEntry("kubernetes.io/cluster/" + name, "owned");
      if (network.publicSubnetIds().contains(s.subnetId())) {
        assertThat(tags).containsEntry("kubernetes.io/role/elb", "1");
        assertThat(s.mapPublicIpOnLaunch()).isTrue();
      } else {
        assertThat(tags).containsEntry("kubernetes.io/role/internal-elb", "1");
      }
    }
    assertThat(counts(name).get("nat gateways")).isEqualTo(1);
    assertThat(aws.ec2.describeAddresses(r -> r.filters(owned(name))).addresses()).hasSize(1);
    assertThat(
            aws.ec2
                .describeInternetGateways(r -> r.filters(owned(name)))
                .internetGateways()
                .get(0)
                .attachments())
        .anyMatch(a -> a.vpcId().equals(network.vpcId()));
    // A public route table and one private per zone, each with a default route.
    assertThat(aws.ec2.describeRouteTables(r -> r.filters(owned(name))).routeTables())
        .hasSize(4)
        .allMatch(
            t -> t.routes().stream().anyMatch(x -> "0.0.0.0/0".equals(x.destinationCidrBlock())));

    // ---- roles ----
    assertThat(attached(name + "-cluster"))
        .containsExactly("arn:aws:iam::aws:policy/AmazonEKSClusterPolicy");
    assertThat(attached(name + "-nodes"))
        .containsExactlyInAnyOrderElementsOf(spec.aws().nodePolicies());

    // ---- control plane ----
    Cluster cluster = aws.eks.describeCluster(r -> r.name(name)).cluster();
    assertThat(cluster.statusAsString()).isEqualTo("ACTIVE");
    assertThat(cluster.version()).isEqualTo("1.22");
    assertThat(cluster.roleArn()).isEqualTo(first.clusterRole);
    assertThat(cluster.resourcesVpcConfig().endpointPrivateAccess()).isTrue();
    assertThat(cluster.resourcesVpcConfig().endpointPublicAccess()).isTrue();
    assertThat(cluster.logging().clusterLogging().get(0).typesAsStrings())
        .containsExactlyInAnyOrder(
            "api", "audit", "authenticator", "controllerManager", "scheduler");
    assertThat(cluster.tags())
        .containsEntry(Ownership.CLUSTER, name)
        .containsEntry("project", "gitpod");
    assertThat(admins)
        .containsExactly(
            name + " " + spec.clusterAdmin() + " entry",
            name + " " + spec.clusterAdmin() + " admin");

    // ---- OIDC provider and IRSA roles ----
    String issuerHostPath = cluster.identity().oidc().issuer().replaceFirst("^https://", "");
    List<String> providers =
        aws.iam.listOpenIDConnectProviders().openIDConnectProviderList().stream()
            .map(p -> p.arn())
            .filter(arn -> arn.endsWith(issuerHostPath))
            .toList();
    assertThat(providers).hasSize(1);
    for (AwsOptions.IrsaServiceAccount sa : spec.aws().serviceAccounts()) {
      String role = name + "-" + sa.name();
      JsonNode trust =
          JSON.readTree(
              PolicyDocuments.decode(
                  aws.iam.getRole(r -> r.roleName(role)).role().assumeRolePolicyDocument()));
      JsonNode statement = trust.path("Statement").get(0);
      assertThat(statement.path("Principal").path("Federated").asText())
          .isEqualTo(providers.get(0));
      assertThat(
              statement
                  .path("Condition")
                  .path("StringEquals")
                  .path(issuerHostPath + ":sub")
                  .asText())
          .isEqualTo("system:serviceaccount:" + sa.namespace() + ":" + sa.name());
      assertThat(aws.iam.listRolePolicies(r -> r.roleName(role)).policyNames()).isNotEmpty();
      assertThat(first.serviceAccountRoles).containsKey(sa.name());
    }
    assertThat(aws.iam.listRolePolicies(r -> r.roleName(name + "-cert-manager")).policyNames())
        .containsExactlyInAnyOrder(
            "PolicyCertManagerChangeSet",
            "PolicyCertManagerGetChange",
            "PolicyCertManagerHostedZones");

    // ---- node groups and their launch templates ----
    for (var pool : spec.nodePools()) {
      Nodegroup group =
          aws.eks
              .describeNodegroup(r -> r.clusterName(name).nodegroupName(pool.name()))
              .nodegroup();
      assertThat(group.labels()).isEqualTo(pool.labels());
      assertThat(group.scalingConfig().minSize()).isEqualTo(pool.minNodes());
      assertThat(group.scalingConfig().maxSize()).isEqualTo(pool.maxNodes());
      assertThat(group.scalingConfig().desiredSize()).isEqualTo(pool.initialNodes());
      assertThat(group.subnets()).containsExactlyInAnyOrderElementsOf(network.privateSubnetIds());
      assertThat(group.tags())
          .containsEntry("k8s.io/cluster-autoscaler/enabled", "true")
          .containsEntry("k8s.io/cluster-autoscaler/" + name, "owned")
          .containsEntry(Ownership.CLUSTER, name);
      LaunchTemplateVersion version =
          aws.ec2
              .describeLaunchTemplateVersions(
                  r -> r.launchTemplateName(name + "-" + pool.name()).versions("$Latest"))
              .launchTemplateVersions()
              .get(0);
      assertThat(version.launchTemplateData().instanceTypeAsString()).isEqualTo(pool.machineType());
      assertThat(version.launchTemplateData().ebsOptimized()).isTrue();
      assertThat(version.launchTemplateData().metadataOptions().httpTokensAsString())
          .isEqualTo("optional");
      LaunchTemplateBlockDeviceMapping root =
          version.launchTemplateData().blockDeviceMappings().get(0);
      assertThat(root.deviceName()).isEqualTo("/dev/sda1");
      assertThat(root.ebs().volumeSize()).isEqualTo(300);
      assertThat(root.ebs().volumeTypeAsString()).isEqualTo("gp3");
      assertThat(root.ebs().iops()).isEqualTo(6000);
      assertThat(root.ebs().throughput()).isEqualTo(500);
      String userData =
          new String(java.util.Base64.getDecoder().decode(version.launchTemplateData().userData()));
      assertThat(userData)
          .contains("USE_MAX_PODS=false")
          .contains("--max-pods=110")
          .contains("/etc/eks/bootstrap.sh '" + name + "'");
    }
    // propagateASGTags: each node group's Auto Scaling group got its tags and node-template labels.
    assertThat(groupTags).hasSize(spec.nodePools().size());
    assertThat(groupTags.values())
        .anySatisfy(
            t ->
                assertThat(t)
                    .containsEntry("k8s.io/cluster-autoscaler/" + name, "owned")
                    .containsEntry(
                        "k8s.io/cluster-autoscaler/node-template/label/gitpod.io/workload_meta",
                        "true"));
    assertThat(imageParameters)
        .contains(
            "/aws/service/canonical/ubuntu/eks/20.04/1.22/stable/current/amd64/hvm/ebs-gp2/ami-id");

    // ---- in-cluster access: endpoint and CA from DescribeCluster, a token signed in memory ----
    try (EksKubeAccess access = new EksKubeAccess(connection)) {
      io.fabric8.kubernetes.client.Config kube = access.config(ClusterRef.of(spec));
      assertThat(kube.getMasterUrl()).startsWith(cluster.endpoint());
      assertThat(kube.getCaCertData()).isEqualTo(cluster.certificateAuthority().data());
      assertThat(kube.getOauthTokenProvider().getToken()).startsWith("k8s-aws-v1.");
    }

    // Waits beat from inside the activity (the heartbeat names the resource, never a secret).
    assertThat(heartbeats).contains("waiting for EKS cluster " + name + " to be ACTIVE");
    assertThat(heartbeats).noneMatch(b -> b.contains("k8s-aws-v1.") || b.contains("testing"));

    // ---- a second run adopts everything: nothing is made twice ----
    Map<String, Integer> before = counts(name);
    Provisioned second = provision(activities("run-2", false), spec);
    assertThat(second.network).isEqualTo(first.network);
    assertThat(second.clusterRole).isEqualTo(first.clusterRole);
    assertThat(second.serviceAccountRoles).isEqualTo(first.serviceAccountRoles);
    assertThat(counts(name)).isEqualTo(before);

    // ---- a failed run's compensation deletes only what that run made: run-2 made nothing ----
    EksActivities compensation = activities("run-2", false);
    assertThat(compensation.deleteNodeGroup(spec, "services").kept()).contains("adopted");
    assertThat(compensation.deleteClusterRole(spec).kept())
        .isEqualTo(
            "IAM role "
                + name
                + "-cluster: existed before this run (adopted); a failed run deletes only what it"
                + " made");
    assertThat(compensation.deleteNetwork(spec).kept()).contains("VPC ").contains("adopted");
    assertThat(counts(name)).isEqualTo(before);
    assertThat(heartbeats)
        .contains(
            "kept IAM role "
                + name
                + "-cluster: existed before this run (adopted); a failed run deletes only what it"
                + " made");

    // ---- teardown, in the procedure's reverse order ----
    EksActivities down = activities("teardown-1", true);
    for (int i = spec.nodePools().size() - 1; i >= 0; i--) {
      down.deleteNodeGroup(spec, spec.nodePools().get(i).name());
    }
    List<AwsOptions.IrsaServiceAccount> accounts = spec.aws().serviceAccounts();
    for (int i = accounts.size() - 1; i >= 0; i--) {
      down.deleteServiceAccountRole(spec, accounts.get(i).name());
    }
    down.deleteOidcProvider(spec);
    down.deleteControlPlane(spec);
    down.deleteNodeRole(spec);
    down.deleteClusterRole(spec);
    down.deleteNetwork(spec);
    // Twice: everything is already gone.
    down.deleteNetwork(spec);
    down.deleteControlPlane(spec);

    assertThat(counts(name)).allSatisfy((kind, count) -> assertThat(count).as(kind).isZero());
    assertThat(aws.eks.listClusters().clusters()).doesNotContain(name);
    assertThat(aws.iam.listOpenIDConnectProviders().openIDConnectProviderList()).isEmpty();
    assertThat(aws.ec2.describeLaunchTemplates().launchTemplates())
        .noneMatch(t -> t.launchTemplateName().startsWith(name + "-"));
    // What the test made untagged is still there.
    assertThat(aws.ec2.describeVpcs(r -> r.vpcIds(bystanderVpc)).vpcs()).hasSize(1);
    assertThat(aws.iam.getRole(r -> r.roleName("bystander")).role().roleName())
        .isEqualTo("bystander");
  }

  /**
   * A subnet someone else put into the cluster's VPC blocks its deletion: the delete is tried again
   * for the dependency wait, then fails for good naming the network interface in the way.
   */
  @Test
  void aDependencyViolationIsRetriedThenReportedNamingWhatBlocks() {
    aws = AwsClients.connect(connection, REGION);
    String name = "blocked";
    List<String> beats = new ArrayList<>();
    Heartbeat heartbeat =
        new Heartbeat() {
          @Override
          public void beat(String details) {
            beats.add(details);
          }

          @Override
          public Optional<String> previous() {
            return Optional.empty();
          }
        };
    NetworkReconciler network =
        new NetworkReconciler(
            aws.ec2,
            new Waiter(PollSchedule.gke(Duration.ofMillis(100), Duration.ofMillis(500))),
            java.time.Clock.systemUTC(),
            Duration.ofSeconds(1));
    NetworkRef ref =
        network.ensure(
            name,
            NetworkPlan.of("192.168.0.0/16", List.of("us-west-2a", "us-west-2b"), "Single"),
            Map.of(Ownership.CLUSTER, name, Ownership.RUN, "run-1"),
            heartbeat);
    String foreignSubnet =
        aws.ec2
            .createSubnet(r -> r.vpcId(ref.vpcId()).cidrBlock("192.168.224.0/24"))
            .subnet()
            .subnetId();
    String eni =
        aws.ec2
            .createNetworkInterface(r -> r.subnetId(foreignSubnet).description("ELB app/k8s-lb"))
            .networkInterface()
            .networkInterfaceId();

    ApplicationFailure failure = null;
    try {
      network.delete(name, new Caller("teardown", true), heartbeat);
    } catch (ApplicationFailure e) {
      failure = e;
    }
    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo(FailureTypes.FAILED_PRECONDITION);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("VPC " + ref.vpcId())
        .contains(eni)
        .contains("ELB app/k8s-lb");
    assertThat(beats).anyMatch(b -> b.contains("still in use"));
    // Only the foreign subnet and the VPC it holds are left; everything refarch made is gone.
    assertThat(counts(name).get("subnets")).isZero();
    assertThat(counts(name).get("vpcs")).isEqualTo(1);
    assertThat(aws.ec2.describeSubnets(r -> r.subnetIds(foreignSubnet)).subnets()).hasSize(1);
  }

  /**
   * HighlyAvailable: a NAT gateway and Elastic IP per zone, each zone's private routes to its own.
   */
  @Test
  void highlyAvailableNatGivesEachZoneItsOwnGateway() {
    aws = AwsClients.connect(connection, REGION);
    String name = "ha";
    List<String> zones = List.of("us-west-2a", "us-west-2b", "us-west-2c");
    Heartbeat heartbeat =
        new Heartbeat() {
          @Override
          public void beat(String details) {}

          @Override
          public Optional<String> previous() {
            return Optional.empty();
          }
        };
    NetworkReconciler network =
        new NetworkReconciler(
            aws.ec2, new Waiter(PollSchedule.gke(Duration.ofMillis(100), Duration.ofMillis(500))));
    NetworkRef ref =
        network.ensure(
            name,
            NetworkPlan.of("192.168.0.0/16", zones, "HighlyAvailable"),
            Map.of(Ownership.CLUSTER, name, Ownership.RUN, "run-ha"),
            heartbeat);
    assertThat(counts(name).get("nat gateways")).isEqualTo(3);
    assertThat(counts(name).get("elastic ips")).isEqualTo(3);
    for (String subnetId : ref.privateSubnetIds()) {
      Subnet subnet = aws.ec2.describeSubnets(r -> r.subnetIds(subnetId)).subnets().get(0);
      String nat =
          aws
              .ec2
              .describeRouteTables(
                  r ->
                      r.filters(
                          Filter.builder().name("association.subnet-id").values(subnetId).build()))
              .routeTables()
              .get(0)
              .routes()
              .stream()
              .filter(x -> "0.0.0.0/0".equals(x.destinationCidrBlock()))
              .findFirst()
              .orElseThrow()
              .natGatewayId();
      String natSubnet =
          aws.ec2.describeNatGateways(r -> r.natGatewayIds(nat)).natGateways().get(0).subnetId();
      String natZone =
          aws.ec2.describeSubnets(r -> r.subnetIds(natSubnet)).subnets().get(0).availabilityZone();
      assertThat(natZone).isEqualTo(subnet.availabilityZone());
    }
    assertThat(network.delete(name, new Caller("run-ha", false), heartbeat)).isEmpty();
    assertThat(counts(name)).allSatisfy((kind, count) -> assertThat(count).as(kind).isZero());
  }

  /** A role of refarch's name that refarch did not make is refused and left as it was. */
  @Test
  void anUntaggedRoleOfTheSameNameIsASpecMismatchAndStaysUntouched() throws Exception {
    aws = AwsClients.connect(connection, REGION);
    ClusterSpec spec = spec("clash");
    aws.iam.createRole(
        r ->
            r.roleName("clash-cluster")
                .assumeRolePolicyDocument(PolicyDocuments.trustService("eks.amazonaws.com")));
    EksActivities run = activities("run-9", false);
    io.temporal.failure.ActivityFailure failure = null;
    try {
      run.ensureClusterRole(spec);
    } catch (io.temporal.failure.ActivityFailure e) {
      failure = e;
    }
    assertThat(failure).isNotNull();
    assertThat(((ApplicationFailure) failure.getCause()).getType())
        .isEqualTo(FailureTypes.SPEC_MISMATCH);
    assertThat(attached("clash-cluster")).isEmpty();
    // Neither its compensation nor a teardown deletes it.
    run.deleteClusterRole(spec);
    activities("teardown-9", true).deleteClusterRole(spec);
    assertThat(aws.iam.getRole(r -> r.roleName("clash-cluster")).role()).isNotNull();
  }

  private record Provisioned(
      NetworkRef network, String clusterRole, Map<String, String> serviceAccountRoles) {}

  /** The procedure's AWS steps in its order (the in-cluster ones need a real API server). */
  private static Provisioned provision(EksActivities eks, ClusterSpec spec) {
    NetworkRef network = eks.ensureNetwork(spec);
    String clusterRole = eks.ensureClusterRole(spec);
    String nodeRole = eks.ensureNodeRole(spec);
    eks.ensureControlPlane(spec, network, clusterRole);
    eks.ensureOidcProvider(spec);
    Map<String, String> roles = new LinkedHashMap<>();
    for (AwsOptions.IrsaServiceAccount sa : spec.aws().serviceAccounts()) {
      roles.put(sa.name(), eks.ensureServiceAccountRole(spec, sa.name()));
    }
    for (var pool : spec.nodePools()) {
      eks.ensureNodeGroup(spec, pool.name(), network, nodeRole);
    }
    return new Provisioned(network, clusterRole, roles);
  }

  /** How many of each kind of resource carry the cluster's tag (roles by name). */
  private Map<String, Integer> counts(String name) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("vpcs", aws.ec2.describeVpcs(r -> r.filters(owned(name))).vpcs().size());
    counts.put("subnets", aws.ec2.describeSubnets(r -> r.filters(owned(name))).subnets().size());
    counts.put(
        "internet gateways",
        aws.ec2.describeInternetGateways(r -> r.filters(owned(name))).internetGateways().size());
    counts.put(
        "nat gateways",
        (int)
            aws.ec2.describeNatGateways(r -> r.filter(owned(name))).natGateways().stream()
                // moto ignores the tag filter of DescribeNatGateways.
                .filter(n -> !n.stateAsString().equals("deleted"))
                .filter(n -> tags(n.tags()).getOrDefault(Ownership.CLUSTER, "").equals(name))
                .count());
    counts.put(
        "elastic ips", aws.ec2.describeAddresses(r -> r.filters(owned(name))).addresses().size());
    counts.put(
        "route tables",
        aws.ec2.describeRouteTables(r -> r.filters(owned(name))).routeTables().size());
    counts.put(
        "security groups",
        aws.ec2.describeSecurityGroups(r -> r.filters(owned(name))).securityGroups().size());
    counts.put(
        "roles",
        (int)
            aws.iam.listRoles().roles().stream()
                .filter(r -> r.roleName().startsWith(name + "-"))
                .count());
    counts.put("clusters", aws.eks.listClusters().clusters().contains(name) ? 1 : 0);
    counts.put(
        "node groups",
        aws.eks.listClusters().clusters().contains(name)
            ? aws.eks.listNodegroups(r -> r.clusterName(name)).nodegroups().size()
            : 0);
    return counts;
  }

  private List<String> attached(String role) {
    return aws.iam.listAttachedRolePolicies(r -> r.roleName(role)).attachedPolicies().stream()
        .map(AttachedPolicy::policyArn)
        .toList();
  }

  private static Filter owned(String name) {
    return Filter.builder().name("tag:" + Ownership.CLUSTER).values(name).build();
  }

  private static Map<String, String> tags(List<Tag> tags) {
    Map<String, String> m = new LinkedHashMap<>();
    tags.forEach(t -> m.put(t.key(), t.value()));
    return m;
  }
}
