package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.refarch.sandbox.aws.ec2.Ec2Query;
import io.refarch.sandbox.aws.eks.EksRest;
import io.refarch.sandbox.aws.ssm.Ssm;
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
import java.util.List;
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
      ClusterSpec spec = SandboxWorker.eksPreset(dir);
      cloud.provision(spec).provision(spec);

      Set<String> made = new TreeSet<>();
      cloud.sandbox.requests().stream()
          .map(AwsRequests::operation)
          .filter(Objects::nonNull)
          .forEach(made::add);
      assertThat(made).containsExactlyInAnyOrderElementsOf(CALLS);
    }
  }

  /** Each call with the throttling code its service answers: AWS names it three ways. */
  static Stream<String> throttledCalls() {
    return CALLS.stream().map(call -> call + "=" + throttling(call) + "x2");
  }

  static String throttling(String call) {
    if (Ec2Query.ACTIONS.contains(call)) {
      return "RequestLimitExceeded";
    }
    if (EksRest.ACTIONS.contains(call) || Ssm.ACTIONS.contains(call)) {
      return "ThrottlingException";
    }
    return "Throttling"; // IAM, Auto Scaling
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("throttledCalls")
  void aTransientFaultAtEachCallIsRetriedAndNothingIsCreatedTwice(String fault) throws Exception {
    String call = fault.substring(0, fault.indexOf('='));
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION, fault)) {
      ClusterSpec spec = SandboxWorker.eksPreset(dir);

      RunOutcome outcome = cloud.provision(spec).provision(spec);

      assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
      assertThat(outcome.deleted()).isEmpty();
      assertThat(cloud.awsCalls(call))
          .as("two refused calls of %s, then one that passed", call)
          .isGreaterThanOrEqualTo(3);
      // The first two requests of the faulted call were refused; every other create went through
      // once.
      int refused = 0;
      List<String> accepted = new ArrayList<>();
      for (RecordedRequest r : cloud.awsMutatingRequests()) {
        if (call.equals(AwsRequests.operation(r)) && refused < 2) {
          refused++;
        } else {
          accepted.add(AwsRequests.describe(r));
        }
      }
      assertThat(EksSeed.byNodeGroup(accepted)).containsExactlyElementsOf(EksSeed.MUTATIONS);
      assertThat(cloud.awsInventory()).containsExactlyInAnyOrderElementsOf(EksSeed.INVENTORY);
    }
  }

  /**
   * A permanent fault, the step where the run fails with it, and the failure's type. The errors are
   * those AWS gives: EC2's UnauthorizedOperation, IAM's AccessDenied, EKS's AccessDeniedException
   * and ResourceLimitExceededException, IAM's LimitExceeded and MalformedPolicyDocument.
   */
  static Stream<Arguments> permanentFaults() {
    return Stream.of(
        Arguments.of(
            "CreateVpc=UnauthorizedOperation", "Create VPC", FailureTypes.PERMISSION_DENIED),
        Arguments.of(
            "CreateNatGateway=NatGatewayLimitExceeded", "Create VPC", FailureTypes.QUOTA_EXCEEDED),
        Arguments.of(
            "CreateRole:gitpod-cluster=AccessDenied",
            "Create cluster IAM role",
            FailureTypes.PERMISSION_DENIED),
        Arguments.of(
            "AttachRolePolicy:gitpod-nodes=AccessDenied",
            "Create node IAM role",
            FailureTypes.PERMISSION_DENIED),
        Arguments.of(
            "CreateCluster=ResourceLimitExceeded",
            "Create control plane",
            FailureTypes.QUOTA_EXCEEDED),
        Arguments.of(
            "CreateAccessEntry=AccessDenied",
            "Create control plane",
            FailureTypes.PERMISSION_DENIED),
        Arguments.of(
            "CreateOpenIDConnectProvider=LimitExceeded",
            "Create OIDC provider",
            FailureTypes.QUOTA_EXCEEDED),
        Arguments.of(
            "CreateRole:gitpod-cert-manager=AccessDenied",
            "Create IAM role for cert-manager/cert-manager",
            FailureTypes.PERMISSION_DENIED),
        Arguments.of(
            "PutRolePolicy:gitpod-ebs-csi-controller-sa=MalformedPolicyDocument",
            "Create IAM role for kube-system/ebs-csi-controller-sa",
            FailureTypes.INVALID_ARGUMENT),
        Arguments.of(
            "CreateLaunchTemplate:gitpod-services=UnauthorizedOperation",
            "Create node group services",
            FailureTypes.PERMISSION_DENIED),
        Arguments.of(
            "CreateNodegroup:workspaces=ResourceLimitExceeded",
            "Create node group workspaces",
            FailureTypes.QUOTA_EXCEEDED),
        // Refused for whichever group tags its Auto Scaling group first (EKS names the groups).
        Arguments.of(
            "CreateOrUpdateTags=AccessDenied",
            "Create node group services|Create node group workspaces",
            FailureTypes.PERMISSION_DENIED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("permanentFaults")
  void aPermanentFaultFailsTheRunAndCompensationLeavesNothing(
      String fault, String step, String type) throws Exception {
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION, fault)) {
      ClusterSpec spec = SandboxWorker.eksPreset(dir);

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
      // Newest first, and the failing step's own resource too: its create may have half-happened.
      assertThat(outcome.deleted()).contains("vpc/gitpod").endsWith("vpc/gitpod");
      assertThat(outcome.notDeleted()).isEmpty();
      assertThat(cloud.inventory()).isEmpty();
    }
  }
}
