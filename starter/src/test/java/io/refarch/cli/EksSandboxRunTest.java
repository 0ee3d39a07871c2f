package io.refarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.activities.Activities;
import io.refarch.activities.eks.AwsClients;
import io.refarch.cli.CommandRunner.Result;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * {@code up -f examples/eks.yaml --sandbox}: the real EKS and Kubernetes activities (AWS SDK v2,
 * fabric8 with {@code k8s-aws-v1.} tokens) against the sandbox's emulated AWS, driven by the CLI as
 * a user would, then {@code down}. The example is unchanged: there is no network here, so the
 * tigera-operator manifest comes from the sandbox's mirror.
 */
class EksSandboxRunTest {
  static final String CLUSTER_TAG = "refarch.io/cluster";

  @TempDir Path dir;

  CommandRunner refarch() {
    return new CommandRunner(dir, Activities::create);
  }

  /**
   * examples/eks.yaml as shipped: its tigera-operator manifest is a GitHub URL, which the run
   * fetches from the sandbox's mirror, as an air-gapped worker would from its own.
   */
  Path spec() throws Exception {
    return spec(dir);
  }

  /** The same in {@code dir}, for the other EKS tests. */
  static Path spec(Path dir) throws Exception {
    return Files.copy(Path.of("..", "examples", "eks.yaml"), dir.resolve("eks.yaml"));
  }

  @Test
  void upProvisionsTheClusterWithPassingNodesAndDownLeavesNothing() throws Exception {
    spec();

    Result plan = refarch().run("plan", "-f", "eks.yaml", "--sandbox");
    assertThat(plan.exitCode()).as(plan.toString()).isZero();
    assertThat(plan.out())
        .contains("the sandbox: an emulated AWS in this process")
        .contains("Steps (21), in order:")
        .contains("  1. Preflight  [preflight/gitpod,")
        .contains(
            "changes nothing: sts.getCallerIdentity; eks.describeClusterVersions offers 1.22");

    Result up = refarch().run("up", "-f", "eks.yaml", "--sandbox");

    assertThat(up.exitCode()).as(up.toString()).isZero();
    assertThat(up.out())
        .as(up.out())
        .contains("Result: SUCCEEDED")
        .contains("step 21/21 Verify nodes: succeeded")
        .doesNotContain("Failed step")
        .doesNotContain("Not deleted: \n");
    // Two nodes per group (initialNodes: 2), each Ready on containerd with 110 pods, no problem.
    List<String> nodes =
        up.out()
            .lines()
            .dropWhile(l -> !l.equals("Nodes:"))
            .skip(2)
            .takeWhile(l -> l.startsWith("  ip-"))
            .toList();
    assertThat(nodes).as(up.out()).hasSize(4);
    assertThat(nodes.stream().filter(l -> l.contains(" services ")).count()).isEqualTo(2);
    assertThat(nodes.stream().filter(l -> l.contains(" workspaces ")).count()).isEqualTo(2);
    assertThat(nodes)
        .allSatisfy(
            l ->
                assertThat(l.trim().split("\\s+"))
                    .containsSubsequence("yes", "containerd://1.7.22", "110")
                    .endsWith("none"));

    List<String> inventory = refarch().run("sandbox", "inventory").out().lines().toList();
    String all = String.join("\n", inventory);
    assertThat(inventory.stream().filter(l -> l.startsWith("ec2 eu-west-1 vpc ")).count())
        .as(all)
        .isEqualTo(1);
    assertThat(inventory.stream().filter(l -> l.startsWith("ec2 eu-west-1 subnet ")).count())
        .as(all)
        .isEqualTo(6);
    assertThat(inventory.stream().filter(l -> l.startsWith("ec2 eu-west-1 nat-gateway ")).count())
        .as(all)
        .isEqualTo(1);
    assertThat(inventory)
        .as(all)
        .contains(
            "eks eu-west-1 cluster gitpod ACTIVE 1.22",
            "eks eu-west-1 nodegroup gitpod/services ACTIVE",
            "eks eu-west-1 nodegroup gitpod/workspaces ACTIVE",
            "iam role gitpod-cluster",
            "iam role gitpod-nodes",
            "iam role gitpod-aws-load-balancer-controller",
            "iam role gitpod-ebs-csi-controller-sa",
            "iam role gitpod-cluster-autoscaler",
            "iam role gitpod-cert-manager")
        .anyMatch(l -> l.startsWith("iam oidc-provider "));
    assertTaggedWithTheCluster();

    Result down = refarch().run("down", "-f", "eks.yaml", "--sandbox");
    assertThat(down.exitCode()).as(down.toString()).isZero();
    assertThat(down.out()).contains("Not deleted: none");
    assertThat(refarch().run("sandbox", "inventory").out()).isEmpty();
  }

  /** What the run made carries refarch.io/cluster, read back through the AWS APIs. */
  void assertTaggedWithTheCluster() throws Exception {
    Path state = dir.resolve(".refarch").resolve("sandbox");
    try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(state));
        AwsClients aws =
            AwsClients.connect(SandboxFlags.awsConnection(sandbox.endpoints()), "eu-west-1")) {
      kubectlListsTheNodesWithTheKubeconfig();
      assertThat(aws.ec2.describeVpcs().vpcs())
          .singleElement()
          .satisfies(v -> assertThat(tags(v.tags())).containsEntry(CLUSTER_TAG, "gitpod"));
      assertThat(aws.ec2.describeSubnets().subnets())
          .hasSize(6)
          .allSatisfy(s -> assertThat(tags(s.tags())).containsEntry(CLUSTER_TAG, "gitpod"));
      assertThat(aws.ec2.describeNatGateways(r -> {}).natGateways())
          .singleElement()
          .satisfies(n -> assertThat(tags(n.tags())).containsEntry(CLUSTER_TAG, "gitpod"));
      for (String role :
          List.of(
              "gitpod-cluster",
              "gitpod-nodes",
              "gitpod-cert-manager",
              "gitpod-cluster-autoscaler")) {
        assertThat(aws.iam.listRoleTags(r -> r.roleName(role)).tags())
            .as(role)
            .anySatisfy(
                t -> {
                  assertThat(t.key()).isEqualTo(CLUSTER_TAG);
                  assertThat(t.value()).isEqualTo("gitpod");
                });
      }
      String provider =
          aws.iam.listOpenIDConnectProviders().openIDConnectProviderList().get(0).arn();
      assertThat(
              aws.iam
                  .listOpenIDConnectProviderTags(r -> r.openIDConnectProviderArn(provider))
                  .tags())
          .anySatisfy(t -> assertThat(t.key()).isEqualTo(CLUSTER_TAG));
      assertThat(aws.eks.describeCluster(r -> r.name("gitpod")).cluster().tags())
          .containsEntry(CLUSTER_TAG, "gitpod");
      for (String group : List.of("services", "workspaces")) {
        assertThat(
                aws.eks
                    .describeNodegroup(r -> r.clusterName("gitpod").nodegroupName(group))
                    .nodegroup()
                    .tags())
            .as(group)
            .containsEntry(CLUSTER_TAG, "gitpod");
      }
    }
  }

  /** {@code refarch kubeconfig -f eks.yaml --sandbox}, read by the real kubectl when it is here. */
  void kubectlListsTheNodesWithTheKubeconfig() throws Exception {
    Result r = refarch().run("kubeconfig", "-f", "eks.yaml", "--sandbox");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    Path file = dir.resolve("kubeconfig-gitpod.yaml");
    assertThat(r.out())
        .contains("Wrote " + file)
        .contains("context arn:aws:eks:eu-west-1:123456789012:cluster/gitpod");
    assertThat(Files.readString(file)).contains("token: \"k8s-aws-v1.");
    if (!onPath("kubectl")) {
      return;
    }
    Process p =
        new ProcessBuilder("kubectl", "--kubeconfig", file.toString(), "get", "nodes", "-o", "name")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out.lines().filter(l -> l.startsWith("node/ip-")).count()).as(out).isEqualTo(4);
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    return path != null
        && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }

  static Map<String, String> tags(List<Tag> tags) {
    return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value));
  }
}
