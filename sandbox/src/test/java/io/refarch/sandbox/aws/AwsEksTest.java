package io.refarch.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.sandbox.core.Latency;
import io.refarch.sandbox.core.OperationTiming;
import io.refarch.sandbox.core.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AccessScopeType;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.ClusterStatus;
import software.amazon.awssdk.services.eks.model.EksException;
import software.amazon.awssdk.services.eks.model.InvalidParameterException;
import software.amazon.awssdk.services.eks.model.LogType;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.eks.model.NodegroupStatus;
import software.amazon.awssdk.services.eks.model.ResourceInUseException;
import software.amazon.awssdk.services.eks.model.ResourceLimitExceededException;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eks.waiters.EksWaiter;
import software.amazon.awssdk.services.iam.IamClient;

/** EKS clusters, node groups and access entries through the real EKS client over REST-JSON. */
class AwsEksTest {

  static final String EKS_TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "{\"Service\":\"eks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

  @TempDir Path state;
  Sandbox sandbox;
  EksClient eks;
  String clusterRole;
  String nodeRole;
  List<String> subnets;

  /**
   * Starts a sandbox (unless the test started its own: {@code operations} null) with roles, subnets
   * and a launch template.
   */
  void start(Duration operations, int attempts, String... faults) throws Exception {
    if (operations != null) {
      sandbox =
          Sandbox.start(
              SandboxOptions.defaults(state)
                  .withOperationDuration(operations)
                  .withFaults(List.of(faults).stream().map(Sandbox::parseFault).toList()));
      eks = AwsClients.eks(sandbox, attempts);
    }
    try (IamClient iam = AwsClients.iam(sandbox);
        Ec2Client ec2 = AwsClients.ec2(sandbox)) {
      clusterRole =
          iam.createRole(r -> r.roleName("gitpod-cluster").assumeRolePolicyDocument(EKS_TRUST))
              .role()
              .arn();
      nodeRole =
          iam.createRole(r -> r.roleName("gitpod-nodes").assumeRolePolicyDocument(EKS_TRUST))
              .role()
              .arn();
      String vpc = ec2.createVpc(r -> r.cidrBlock("192.168.0.0/16")).vpc().vpcId();
      subnets =
          List.of(
              ec2.createSubnet(
                      r -> r.vpcId(vpc).cidrBlock("192.168.0.0/19").availabilityZone("us-east-1a"))
                  .subnet()
                  .subnetId(),
              ec2.createSubnet(
                      r -> r.vpcId(vpc).cidrBlock("192.168.32.0/19").availabilityZone("us-east-1b"))
                  .subnet()
                  .subnetId());
      ec2.createLaunchTemplate(
          r ->
              r.launchTemplateName("gitpod-workspaces")
                  .launchTemplateData(d -> d.imageId("ami-0123456789abcdef0")));
    }
  }

  @AfterEach
  void stop() {
    if (eks != null) {
      eks.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  Cluster createCluster(String name) {
    return eks.createCluster(
            r ->
                r.name(name)
                    .version("1.31")
                    .roleArn(clusterRole)
                    .resourcesVpcConfig(v -> v.subnetIds(subnets).endpointPrivateAccess(true))
                    .logging(
                        l ->
                            l.clusterLogging(
                                c -> c.types(LogType.API, LogType.AUDIT).enabled(true)))
                    .tags(Map.of("project", "gitpod")))
        .cluster();
  }

  EksWaiter waiter() {
    return EksWaiter.builder().client(eks).overrideConfiguration(AwsClients.quickWaiter()).build();
  }

  @Test
  void clusterAndNodeGroupLifecycleAsTheWaitersSeeIt() throws Exception {
    start(Duration.ofMillis(1000), 3);
    Cluster created = createCluster("gitpod");
    assertThat(created.status()).isEqualTo(ClusterStatus.CREATING);
    assertThat(created.arn()).isEqualTo("arn:aws:eks:us-east-1:000000000000:cluster/gitpod");
    assertThat(eks.listClusters().clusters()).containsExactly("gitpod");

    assertThatThrownBy(() -> createCluster("gitpod"))
        .isInstanceOfSatisfying(
            ResourceInUseException.class, e -> assertThat(e.statusCode()).isEqualTo(409));
    // Node groups wait for an active control plane.
    assertThatThrownBy(() -> createNodegroup("services"))
        .isInstanceOfSatisfying(
            EksException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequestException"));

    try (EksWaiter waiter = waiter()) {
      Cluster active =
          waiter
              .waitUntilClusterActive(r -> r.name("gitpod"))
              .matched()
              .response()
              .orElseThrow()
              .cluster();
      assertThat(active.status()).isEqualTo(ClusterStatus.ACTIVE);
      assertThat(active.version()).isEqualTo("1.31");
      assertThat(active.endpoint()).startsWith("https://");
      assertThat(
              new String(
                  Base64.getDecoder().decode(active.certificateAuthority().data()),
                  StandardCharsets.UTF_8))
          .startsWith("-----BEGIN CERTIFICATE-----");
      assertThat(active.identity().oidc().issuer())
          .startsWith("https://oidc.eks.us-east-1.amazonaws.com/id/");
      assertThat(active.resourcesVpcConfig().subnetIds()).isEqualTo(subnets);
      assertThat(active.resourcesVpcConfig().vpcId()).startsWith("vpc-");
      assertThat(active.resourcesVpcConfig().endpointPrivateAccess()).isTrue();
      assertThat(active.logging().clusterLogging().get(0).types())
          .containsExactly(LogType.API, LogType.AUDIT);
      assertThat(active.tags()).containsEntry("project", "gitpod");
      assertThat(active.createdAt()).isNotNull();

      Nodegroup group = createNodegroup("services");
      assertThat(group.status()).isEqualTo(NodegroupStatus.CREATING);
      Nodegroup activeGroup =
          waiter
              .waitUntilNodegroupActive(r -> r.clusterName("gitpod").nodegroupName("services"))
              .matched()
              .response()
              .orElseThrow()
              .nodegroup();
      assertThat(activeGroup.status()).isEqualTo(NodegroupStatus.ACTIVE);
      assertThat(activeGroup.labels()).containsEntry("gitpod.io/workload_services", "true");
      assertThat(activeGroup.scalingConfig().minSize()).isEqualTo(1);
      assertThat(activeGroup.scalingConfig().maxSize()).isEqualTo(4);
      assertThat(activeGroup.launchTemplate().name()).isEqualTo("gitpod-workspaces");
      assertThat(activeGroup.launchTemplate().id()).startsWith("lt-");
      assertThat(activeGroup.subnets()).isEqualTo(subnets);
      assertThat(activeGroup.nodeRole()).isEqualTo(nodeRole);
      assertThat(activeGroup.tags()).containsEntry("project", "gitpod");
      assertThat(activeGroup.resources().autoScalingGroups().get(0).name())
          .startsWith("eks-services-");
      assertThat(eks.listNodegroups(r -> r.clusterName("gitpod")).nodegroups())
          .containsExactly("services");
      assertThat(sandbox.inventory())
          .contains(
              "eks us-east-1 cluster gitpod ACTIVE 1.31",
              "eks us-east-1 nodegroup gitpod/services ACTIVE");

      assertThatThrownBy(() -> eks.deleteCluster(r -> r.name("gitpod")))
          .isInstanceOfSatisfying(
              ResourceInUseException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorMessage())
                      .isEqualTo("Cluster has nodegroups attached"));

      assertThat(
              eks.deleteNodegroup(r -> r.clusterName("gitpod").nodegroupName("services"))
                  .nodegroup()
                  .status())
          .isEqualTo(NodegroupStatus.DELETING);
      waiter.waitUntilNodegroupDeleted(r -> r.clusterName("gitpod").nodegroupName("services"));
      assertThat(eks.deleteCluster(r -> r.name("gitpod")).cluster().status())
          .isEqualTo(ClusterStatus.DELETING);
      waiter.waitUntilClusterDeleted(r -> r.name("gitpod"));
    }
    assertThatThrownBy(() -> eks.describeCluster(r -> r.name("gitpod")))
        .isInstanceOfSatisfying(
            ResourceNotFoundException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(404);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("No cluster found for name: gitpod.");
            });
    assertThat(eks.listClusters().clusters()).isEmpty();
    // Benchmarks read when EKS started and ended each change, as for GKE's operations.
    assertThat(sandbox.operationTimings())
        .extracting(OperationTiming::kind, OperationTiming::target)
        .containsExactly(
            tuple("eks.CREATE_CLUSTER", "gitpod"),
            tuple("eks.CREATE_NODEGROUP", "gitpod/services"),
            tuple("eks.DELETE_NODEGROUP", "gitpod/services"),
            tuple("eks.DELETE_CLUSTER", "gitpod"));
    assertThat(sandbox.operationTimings())
        .allSatisfy(t -> assertThat(t.duration()).isEqualTo(Duration.ofMillis(1000)));
  }

  Nodegroup createNodegroup(String name) {
    return eks.createNodegroup(
            r ->
                r.clusterName("gitpod")
                    .nodegroupName(name)
                    .nodeRole(nodeRole)
                    .subnets(subnets)
                    .scalingConfig(s -> s.minSize(1).maxSize(4).desiredSize(1))
                    .labels(Map.of("gitpod.io/workload_" + name, "true"))
                    .launchTemplate(t -> t.name("gitpod-workspaces"))
                    .tags(Map.of("project", "gitpod")))
        .nodegroup();
  }

  @Test
  void theRealisticProfileTimesEksAsEks() throws Exception {
    assertThat(Latency.realistic().of("eks.CREATE_CLUSTER")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Latency.realistic().of("eks.CREATE_NODEGROUP")).isEqualTo(Duration.ofMinutes(4));
    assertThat(Latency.realistic().of("ec2.CREATE_NAT_GATEWAY")).isEqualTo(Duration.ofSeconds(90));
    sandbox =
        Sandbox.start(
            SandboxOptions.defaults(state)
                .withLatency(Latency.parse("realistic:1/300", Duration.ZERO)));
    eks = AwsClients.eks(sandbox);
    start(null, 3);
    Instant asked = Instant.now();
    createCluster("gitpod");
    try (EksWaiter waiter = waiter()) {
      waiter.waitUntilClusterActive(r -> r.name("gitpod"));
    }
    // Ten minutes at 1/300: two seconds, not the flat default's fraction of one.
    assertThat(Duration.between(asked, Instant.now()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void missingSubnetsAndRolesAreInvalidParameters() throws Exception {
    start(Duration.ofMillis(50), 3);
    assertThatThrownBy(
            () ->
                eks.createCluster(
                    r ->
                        r.name("gitpod")
                            .roleArn("arn:aws:iam::000000000000:role/nobody")
                            .resourcesVpcConfig(v -> v.subnetIds(subnets))))
        .isInstanceOfSatisfying(
            InvalidParameterException.class,
            e -> assertThat(e.getMessage()).contains("could not be assumed"));
    assertThatThrownBy(
            () ->
                eks.createCluster(
                    r ->
                        r.name("gitpod")
                            .roleArn(clusterRole)
                            .resourcesVpcConfig(v -> v.subnetIds("subnet-0000000000000000a"))))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void accessEntriesAndPolicies() throws Exception {
    start(Duration.ofMillis(50), 3);
    createCluster("gitpod");
    String admin = "arn:aws:iam::000000000000:role/gitpod-admin";
    var entry =
        eks.createAccessEntry(
                r -> r.clusterName("gitpod").principalArn(admin).kubernetesGroups("ops"))
            .accessEntry();
    assertThat(entry.principalArn()).isEqualTo(admin);
    assertThat(entry.kubernetesGroups()).containsExactly("ops");
    assertThat(entry.username())
        .isEqualTo("arn:aws:sts::000000000000:assumed-role/gitpod-admin/{{SessionName}}");
    assertThatThrownBy(
            () -> eks.createAccessEntry(r -> r.clusterName("gitpod").principalArn(admin)))
        .isInstanceOf(ResourceInUseException.class);

    var associated =
        eks.associateAccessPolicy(
            r ->
                r.clusterName("gitpod")
                    .principalArn(admin)
                    .policyArn("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy")
                    .accessScope(s -> s.type(AccessScopeType.CLUSTER)));
    assertThat(associated.principalArn()).isEqualTo(admin);
    assertThat(associated.associatedAccessPolicy().accessScope().type())
        .isEqualTo(AccessScopeType.CLUSTER);
    assertThat(
            eks.listAssociatedAccessPolicies(r -> r.clusterName("gitpod").principalArn(admin))
                .associatedAccessPolicies())
        .hasSize(1);

    // The creator (the caller's own identity) gets an entry of its own, as on EKS.
    assertThat(eks.listAccessEntries(r -> r.clusterName("gitpod")).accessEntries())
        .containsExactlyInAnyOrder(
            admin, "arn:aws:iam::000000000000:user/" + AwsClients.ACCESS_KEY);
    eks.deleteAccessEntry(r -> r.clusterName("gitpod").principalArn(admin));
    assertThat(eks.listAccessEntries(r -> r.clusterName("gitpod")).accessEntries())
        .doesNotContain(admin);
    assertThatThrownBy(
            () -> eks.deleteAccessEntry(r -> r.clusterName("gitpod").principalArn(admin)))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void throttledThreeTimesThenAnswered() throws Exception {
    // Four attempts: the SDK retries the throttled three by itself.
    start(Duration.ofMillis(50), 4, "DescribeCluster=ThrottlingExceptionx3");
    createCluster("gitpod");
    assertThat(eks.describeCluster(r -> r.name("gitpod")).cluster().name()).isEqualTo("gitpod");
    assertThat(
            sandbox.requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().equals("/clusters/gitpod")))
        .hasSize(4);
    // The fault is spent: the next call goes through at once.
    eks.describeCluster(r -> r.name("gitpod"));
    assertThat(
            sandbox.requests().stream()
                .map(RecordedRequest::path)
                .filter("/clusters/gitpod"::equals))
        .hasSize(5);
  }

  @Test
  void throttlingBeyondTheRetriesArrivesAsTheErrorCode() throws Exception {
    start(Duration.ofMillis(50), 2, "DescribeCluster=ThrottlingExceptionx3");
    createCluster("gitpod");
    assertThatThrownBy(() -> eks.describeCluster(r -> r.name("gitpod")))
        .isInstanceOfSatisfying(
            EksException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
              assertThat(e.statusCode()).isEqualTo(429);
              assertThat(e.isThrottlingException()).isTrue();
            });
  }

  @Test
  void nodeGroupFaultNamesItsGroup() throws Exception {
    start(Duration.ofMillis(50), 3, "CreateNodegroup:workspaces=ResourceLimitExceeded");
    createCluster("gitpod");
    try (EksWaiter waiter = waiter()) {
      waiter.waitUntilClusterActive(r -> r.name("gitpod"));
    }
    createNodegroup("services");
    assertThatThrownBy(() -> createNodegroup("workspaces"))
        .isInstanceOfSatisfying(
            ResourceLimitExceededException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    assertThat(eks.listNodegroups(r -> r.clusterName("gitpod")).nodegroups())
        .containsExactly("services");
  }
}
