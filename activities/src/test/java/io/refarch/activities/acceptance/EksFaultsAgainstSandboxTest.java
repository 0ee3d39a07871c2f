package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.refarch.sandbox.aws.autoscaling.AutoScaling;
import io.refarch.sandbox.aws.ec2.Ec2Query;
import io.refarch.sandbox.aws.eks.EksRest;
import io.refarch.sandbox.aws.iam.IamQuery;
import io.refarch.sandbox.aws.quotas.ServiceQuotas;
import io.refarch.sandbox.aws.ssm.Ssm;
import io.refarch.sandbox.aws.sts.Sts;
import io.refarch.sandbox.core.RecordedRequest;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.RunOutcome;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults injected into the sandbox's AWS under a whole provisioning run of {@code
 * examples/eks.yaml}, through the real activities: throttling at any call is retried without
 * creating anything twice; a permanent error at a create fails the run at that step, with the
 * error's type, and compensation leaves nothing behind.
 */
class EksFaultsAgainstSandboxTest {
  /**
   * Every AWS call a provisioning run makes, as the sandbox names them for faults; {@link
   * #theTransientFaultsCoverEveryCallOfACleanRun} keeps this list honest.
   */
  static final List<String> CALLS =
      List.of(
          // the preflight (DescribeCluster and DescribeAddresses below serve it too)
          "GetCallerIdentity",
          "DescribeClusterVersions",
          "DescribeInstanceTypes",
          "DescribeInstances",
          "DescribeAccountAttributes",
          "GetServiceQuota",
          // the network
          "DescribeAvailabilityZones",
          "DescribeVpcs",
          "CreateVpc",
          "ModifyVpcAttribute",
          "DescribeInternetGateways",
          "CreateInternetGateway",
          "AttachInternetGateway",
          "DescribeSubnets",
          "CreateSubnet",
          "ModifySubnetAttribute",
          "DescribeRouteTables",
          "CreateRouteTable",
          "CreateRoute",
          "AssociateRouteTable",
          "DescribeAddresses",
          "AllocateAddress",
          "DescribeNatGateways",
          "CreateNatGateway",
          "DescribeSecurityGroups",
          "CreateSecurityGroup",
          // roles, the IRSA roles' too
          "GetRole",
          "CreateRole",
          "ListAttachedRolePolicies",
          "AttachRolePolicy",
          "PutRolePolicy",
          // control plane and cluster-admin's access entry
          "DescribeCluster",
          "CreateCluster",
          "ListAssociatedAccessPolicies",
          "CreateAccessEntry",
          "AssociateAccessPolicy",
          // OIDC
          "ListOpenIDConnectProviders",
          "CreateOpenIDConnectProvider",
          // node groups
          "GetParameter",
          "DescribeLaunchTemplates",
          "CreateLaunchTemplate",
          "DescribeNodegroup",
          "CreateNodegroup",
          "DescribeAutoScalingGroups",
          "CreateOrUpdateTags");

  private static final Duration OPERATION = Duration.ofMillis(50);

  @TempDir Path dir;
  private static TestWorkflowEnvironment temporal;

  @BeforeAll
  static void start() {
    temporal = SandboxWorker.temporal();
  }

  @AfterAll
  static void stop() {
    temporal.close();
  }

  @Test
  void theTransientFaultsCoverEveryCallOfACleanRun() throws Exception {
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION)) {
      ClusterSpec spec = SandboxWorker.eksPreset();
      cloud.provision(spec).provision(spec);

      Set<String> made = new TreeSet<>();
      cloud.sandbox.requests().stream()
          .map(AwsRequests::operation)
          .filter(Objects::nonNull)
          .forEach(made::add);
      assertThat(made).containsExactlyInAnyOrderElementsOf(CALLS);
    }
  }

  /**
   * The cases. One run per call (39 runs of about 9 s each on a shared 2-core machine) took over 6
   * minutes, so runs share faults where it costs no evidence: every call that changes something
   * (where a retry could create twice) is throttled in a run with at most one other change of each
   * other service (EC2, IAM, EKS, Auto Scaling: different clients, different steps, so each retry
   * is still its own), and every read is throttled in one run (a refused read changes nothing, and
   * the reads go through the same clients and retries as the changes). 14 runs; each faulted call
   * is refused twice and then passes.
   */
  static Stream<Arguments> throttledCalls() {
    Map<String, List<String>> changesByService = new LinkedHashMap<>();
    CALLS.stream()
        .filter(AwsRequests::mutating)
        .forEach(c -> changesByService.computeIfAbsent(service(c), s -> new ArrayList<>()).add(c));
    int runs = changesByService.values().stream().mapToInt(List::size).max().orElse(0);
    List<Arguments> cases = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      int run = i;
      List<String> calls =
          changesByService.values().stream()
              .filter(l -> run < l.size())
              .map(l -> l.get(run))
              .toList();
      cases.add(Arguments.of(String.join(", ", calls), calls));
    }
    cases.add(
        Arguments.of("every read", CALLS.stream().filter(c -> !AwsRequests.mutating(c)).toList()));
    return cases.stream();
  }

  static String service(String call) {
    if (Ec2Query.ACTIONS.contains(call)) {
      return "ec2";
    }
    if (IamQuery.ACTIONS.contains(call)) {
      return "iam";
    }
    if (EksRest.ACTIONS.contains(call)) {
      return "eks";
    }
    if (Ssm.ACTIONS.contains(call)) {
      return "ssm";
    }
    if (AutoScaling.ACTIONS.contains(call)) {
      return "autoscaling";
    }
    if (Sts.ACTIONS.contains(call)) {
      return "sts";
    }
    if (ServiceQuotas.ACTIONS.contains(call)) {
      return "servicequotas";
    }
    throw new AssertionError("a call of no service the sandbox emulates: " + call);
  }

  @Test
  void everyCallIsThrottledInSomeRun() {
    List<Object> throttled =
        throttledCalls()
            .flatMap(a -> ((List<?>) a.get()[1]).stream())
            .map(c -> (Object) c)
            .toList();
    assertThat(throttled).containsExactlyInAnyOrderElementsOf(CALLS);
  }

  /** The throttling code the call's service answers: AWS names it three ways. */
  static String throttling(String call) {
    return switch (service(call)) {
      case "ec2" -> "RequestLimitExceeded";
      case "eks", "ssm" -> "ThrottlingException";
      case "servicequotas" -> "TooManyRequestsException";
      default -> "Throttling"; // IAM, STS, Auto Scaling
    };
  }

  @ParameterizedTest(name = "{0} throttled twice")
  @MethodSource("throttledCalls")
  void aTransientFaultAtEachCallIsRetriedAndNothingIsCreatedTwice(String name, List<String> calls)
      throws Exception {
    String[] faults =
        calls.stream().map(c -> c + "=" + throttling(c) + "x2").toArray(String[]::new);
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION, faults)) {
      ClusterSpec spec = SandboxWorker.eksPreset();

      RunOutcome outcome = cloud.provision(spec).provision(spec);

      assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
      assertThat(outcome.deleted()).isEmpty();
      for (String call : calls) {
        assertThat(cloud.awsCalls(call))
            .as("two refused calls of %s, then one that passed", call)
            .isGreaterThanOrEqualTo(3);
      }
      // The first two requests of each faulted call were refused; every other create went
      // through once.
      Map<String, Integer> refused = new HashMap<>();
      List<String> accepted = new ArrayList<>();
      for (RecordedRequest r : cloud.awsMutatingRequests()) {
        String call = AwsRequests.operation(r);
        if (call != null && calls.contains(call) && refused.getOrDefault(call, 0) < 2) {
          refused.merge(call, 1, Integer::sum);
        } else {
          accepted.add(AwsRequests.describe(r));
        }
      }
      assertThat(EksSeed.byNodeGroup(accepted)).containsExactlyElementsOf(EksSeed.MUTATIONS);
      assertThat(cloud.awsInventory()).containsExactlyInAnyOrderElementsOf(EksSeed.INVENTORY);
    }
  }

  /**
   * A permanent fault, the step where the run fails with it, the failure's type, and the resource
   * of that step. The errors are those AWS gives: EC2's UnauthorizedOperation, IAM's AccessDenied,
   * EKS's AccessDeniedException and ResourceLimitExceededException, IAM's LimitExceeded and
   * MalformedPolicyDocument.
   */
  static Stream<Arguments> permanentFaults() {
    return Stream.of(
        Arguments.of(
            "CreateVpc=UnauthorizedOperation",
            "Create VPC",
            FailureTypes.PERMISSION_DENIED,
            "vpc/gitpod"),
        Arguments.of(
            "CreateNatGateway=NatGatewayLimitExceeded",
            "Create VPC",
            FailureTypes.QUOTA_EXCEEDED,
            "vpc/gitpod"),
        Arguments.of(
            "CreateRole:gitpod-cluster=AccessDenied",
            "Create cluster IAM role",
            FailureTypes.PERMISSION_DENIED,
            "iam-role/gitpod-cluster"),
        Arguments.of(
            "AttachRolePolicy:gitpod-nodes=AccessDenied",
            "Create node IAM role",
            FailureTypes.PERMISSION_DENIED,
            "iam-role/gitpod-nodes"),
        Arguments.of(
            "CreateCluster=ResourceLimitExceeded",
            "Create control plane",
            FailureTypes.QUOTA_EXCEEDED,
            "eks-cluster/gitpod"),
        Arguments.of(
            "CreateAccessEntry=AccessDenied",
            "Create control plane",
            FailureTypes.PERMISSION_DENIED,
            "eks-cluster/gitpod"),
        Arguments.of(
            "CreateOpenIDConnectProvider=LimitExceeded",
            "Create OIDC provider",
            FailureTypes.QUOTA_EXCEEDED,
            "oidc-provider/gitpod"),
        Arguments.of(
            "CreateRole:gitpod-cert-manager=AccessDenied",
            "Create IAM role for cert-manager/cert-manager",
            FailureTypes.PERMISSION_DENIED,
            "iam-role/gitpod-cert-manager"),
        Arguments.of(
            "PutRolePolicy:gitpod-ebs-csi-controller-sa=MalformedPolicyDocument",
            "Create IAM role for kube-system/ebs-csi-controller-sa",
            FailureTypes.INVALID_ARGUMENT,
            "iam-role/gitpod-ebs-csi-controller-sa"),
        Arguments.of(
            "CreateLaunchTemplate:gitpod-services=UnauthorizedOperation",
            "Create node group services",
            FailureTypes.PERMISSION_DENIED,
            "nodegroup/services"),
        Arguments.of(
            "CreateNodegroup:workspaces=ResourceLimitExceeded",
            "Create node group workspaces",
            FailureTypes.QUOTA_EXCEEDED,
            "nodegroup/workspaces"),
        // Refused for whichever group tags its Auto Scaling group first (EKS names the groups).
        Arguments.of(
            "CreateOrUpdateTags=AccessDenied",
            "Create node group services|Create node group workspaces",
            FailureTypes.PERMISSION_DENIED,
            "nodegroup/services"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("permanentFaults")
  void aPermanentFaultFailsTheRunAndCompensationLeavesNothing(
      String fault, String step, String type, String failed) throws Exception {
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION, fault)) {
      ClusterSpec spec = SandboxWorker.eksPreset();

      WorkflowFailedException e =
          catchThrowableOfType(
              WorkflowFailedException.class, () -> cloud.provision(spec).provision(spec));

      assertThat(e).as("the run fails").isNotNull();
      ApplicationFailure failure = (ApplicationFailure) e.getCause();
      assertThat(failure.getType()).isEqualTo(FailureTypes.PROVISION_FAILED);
      RunOutcome outcome = failure.getDetails().get(RunOutcome.class);
      assertThat(outcome.result()).isEqualTo(Phase.FAILED);
      assertThat(outcome.failedStep()).isIn((Object[]) step.split("\\|"));
      assertThat(outcome.errorType()).isEqualTo(type);
      if (type.equals(FailureTypes.QUOTA_EXCEEDED)) {
        assertThat(outcome.error()).containsIgnoringCase("quota");
      }
      // Newest first, from the failing step's own resource (its create may have half-happened)
      // down to the VPC; the node groups are created together, so they go in either order.
      int registered =
          failed.startsWith("nodegroup/")
              ? EksSeed.CREATES_IN_ORDER.size()
              : EksSeed.CREATES_IN_ORDER.indexOf(failed) + 1;
      List<String> newestFirst = new ArrayList<>(EksSeed.CREATES_IN_ORDER.subList(0, registered));
      Collections.reverse(newestFirst);
      List<String> deleted =
          outcome.deleted().stream().filter(EksSeed.CREATES_IN_ORDER::contains).toList();
      assertThat(EksSeed.byNodeGroupDeletes(deleted)).containsExactlyElementsOf(newestFirst);
      assertThat(outcome.notDeleted()).isEmpty();
      assertThat(cloud.inventory()).isEmpty();
    }
  }
}
