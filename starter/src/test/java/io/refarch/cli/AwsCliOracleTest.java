package io.refarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refarch.activities.Activities;
import io.refarch.cli.CommandRunner.Result;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle for EKS (issue 8 §3): the real AWS CLI and kubectl, over the wire, against the
 * sandbox's emulated AWS. After {@code refarch up -f examples/eks.yaml --sandbox}, {@code aws eks
 * describe-cluster}, {@code list-nodegroups}, {@code describe-nodegroup}, {@code aws ec2
 * describe-vpcs/subnets/nat-gateways} and {@code aws iam list-roles} read back what the run made,
 * and {@code aws eks update-kubeconfig} gives kubectl a kubeconfig whose exec entry ({@code aws eks
 * get-token}) the cluster's API takes; the seed's own {@code kubectl get nodes -o custom-columns}
 * then lists the nodes. Then the seed's kubectl Calico steps on a cluster made with {@code aws eks
 * create-cluster}. Skipped when aws or kubectl is not on PATH ({@code .ci/run} installs awscli in a
 * venv).
 *
 * <p>The CLI is AWS CLI v1 ({@code pip install awscli}): its {@code eks get-token} presigns the STS
 * URL locally and calls nothing, so the exec entry needs no endpoint; every other command gets
 * {@code --endpoint-url}, the sandbox's one AWS endpoint, which routes by the signature's service.
 */
class AwsCliOracleTest {

  static final ObjectMapper JSON = new ObjectMapper();

  /** The seed's check of the nodes (002 seed, after the node groups), verbatim but one line. */
  static final String SEED_NODE_COLUMNS =
      "custom-columns=NAME:.metadata.name,"
          + "RUNTIME:.status.nodeInfo.containerRuntimeVersion,"
          + "MAXPODS:.status.capacity.pods,"
          + "KERNEL:.status.nodeInfo.kernelVersion,"
          + "AMIFAMILY:.status.nodeInfo.osImage,"
          + "K8S:.status.nodeInfo.kubeletVersion,"
          + "AMI:.spec.providerID";

  /** The seed's Calico Installation for EKS, as it pipes it into {@code kubectl create -f -}. */
  static final String SEED_INSTALLATION =
      """
      kind: Installation
      apiVersion: operator.tigera.io/v1
      metadata:
        name: default
      spec:
        kubernetesProvider: EKS
        cni:
          type: Calico
        calicoNetwork:
          bgp: Disabled
      """;

  @TempDir Path dir;
  String endpoint;

  @BeforeEach
  void toolsAreHere() {
    for (String tool : List.of("aws", "kubectl")) {
      boolean found = onPath(tool);
      if (!found) {
        System.out.println("AwsCliOracleTest skipped: " + tool + " is not on PATH");
      }
      Assumptions.assumeTrue(found, tool + " is not on PATH");
    }
  }

  @Test
  void theCliReadsBackWhatUpMadeAndKubectlListsTheNodesThroughGetToken() throws Exception {
    EksSandboxRunTest.spec(dir);
    Result up = new CommandRunner(dir, Activities::create).run("up", "-f", "eks.yaml", "--sandbox");
    assertThat(up.exitCode()).as(up.toString()).isZero();

    // The run's sandbox stopped with the command; this one serves the state it left.
    try (Sandbox sandbox =
        Sandbox.start(SandboxOptions.defaults(dir.resolve(".refarch").resolve("sandbox")))) {
      endpoint = sandbox.endpoints().aws();

      JsonNode cluster = aws("eks", "describe-cluster", "--name", "gitpod").path("cluster");
      assertThat(cluster.path("status").asText()).isEqualTo("ACTIVE");
      assertThat(cluster.path("version").asText()).isEqualTo("1.22");
      assertThat(cluster.path("endpoint").asText()).startsWith("https://127.1.");
      assertThat(cluster.path("certificateAuthority").path("data").asText()).isNotEmpty();
      assertThat(cluster.path("roleArn").asText()).endsWith(":role/gitpod-cluster");
      assertThat(cluster.path("resourcesVpcConfig").path("endpointPublicAccess").asBoolean())
          .isTrue();
      assertThat(cluster.path("resourcesVpcConfig").path("endpointPrivateAccess").asBoolean())
          .isTrue();
      assertThat(cluster.path("resourcesVpcConfig").path("subnetIds")).hasSize(6);
      // The seed's eksctl config: all five control-plane log types.
      assertThat(cluster.path("logging").path("clusterLogging"))
          .anySatisfy(
              l -> {
                assertThat(l.path("enabled").asBoolean()).isTrue();
                assertThat(texts(l.path("types")))
                    .containsExactlyInAnyOrder(
                        "api", "audit", "authenticator", "controllerManager", "scheduler");
              });
      assertThat(cluster.path("identity").path("oidc").path("issuer").asText())
          .startsWith("https://oidc.eks.eu-west-1.amazonaws.com/id/");
      assertThat(cluster.path("tags").path("refarch.io/cluster").asText()).isEqualTo("gitpod");
      assertThat(cluster.path("tags").path("department").asText()).isEqualTo("cs");

      assertThat(
              texts(aws("eks", "list-nodegroups", "--cluster-name", "gitpod").path("nodegroups")))
          .containsExactlyInAnyOrder("services", "workspaces");
      JsonNode services = nodegroup("services");
      assertThat(services.path("scalingConfig").toString())
          .isEqualTo("{\"minSize\":1,\"maxSize\":4,\"desiredSize\":2}");
      assertThat(fields(services.path("labels")))
          .containsEntry("gitpod.io/workload_meta", "true")
          .containsEntry("gitpod.io/workload_ide", "true");
      assertThat(services.path("nodeRole").asText()).endsWith(":role/gitpod-nodes");
      JsonNode workspaces = nodegroup("workspaces");
      assertThat(workspaces.path("scalingConfig").toString())
          .isEqualTo("{\"minSize\":1,\"maxSize\":10,\"desiredSize\":2}");
      assertThat(fields(workspaces.path("labels")))
          .containsEntry("gitpod.io/workload_workspace_regular", "true")
          .containsEntry("gitpod.io/workload_workspace_services", "true")
          .containsEntry("gitpod.io/workload_workspace_headless", "true");
      // The node group's machine, disk and max pods are in its launch template, as eksctl's are.
      JsonNode template = services.path("launchTemplate");
      assertThat(template.path("id").asText()).startsWith("lt-");
      JsonNode data =
          aws(
                  "ec2",
                  "describe-launch-template-versions",
                  "--launch-template-id",
                  template.path("id").asText(),
                  "--versions",
                  template.path("version").asText())
              .path("LaunchTemplateVersions")
              .path(0)
              .path("LaunchTemplateData");
      assertThat(data.path("InstanceType").asText()).isEqualTo("m6i.xlarge");
      JsonNode ebs = data.path("BlockDeviceMappings").path(0).path("Ebs");
      assertThat(ebs.path("VolumeType").asText()).isEqualTo("gp3");
      assertThat(ebs.path("VolumeSize").asInt()).isEqualTo(300);
      assertThat(ebs.path("Iops").asInt()).isEqualTo(6000);
      assertThat(ebs.path("Throughput").asInt()).isEqualTo(500);
      assertThat(
              new String(
                  Base64.getDecoder().decode(data.path("UserData").asText()),
                  StandardCharsets.UTF_8))
          .contains("--max-pods=110");

      JsonNode vpcs =
          aws("ec2", "describe-vpcs", "--filters", "Name=tag:refarch.io/cluster,Values=gitpod")
              .path("Vpcs");
      assertThat(vpcs).hasSize(1);
      assertThat(vpcs.path(0).path("CidrBlock").asText()).isEqualTo("192.168.0.0/16");
      String vpcId = vpcs.path(0).path("VpcId").asText();
      assertThat(cluster.path("resourcesVpcConfig").path("vpcId").asText()).isEqualTo(vpcId);

      JsonNode subnets =
          aws("ec2", "describe-subnets", "--filters", "Name=vpc-id,Values=" + vpcId)
              .path("Subnets");
      assertThat(subnets).hasSize(6);
      List<JsonNode> publicSubnets = new ArrayList<>();
      List<JsonNode> privateSubnets = new ArrayList<>();
      for (JsonNode s : subnets) {
        Map<String, String> tags = tags(s);
        assertThat(tags).as(s.toString()).containsEntry("kubernetes.io/cluster/gitpod", "owned");
        if ("1".equals(tags.get("kubernetes.io/role/elb"))) {
          publicSubnets.add(s);
        } else {
          assertThat(tags).as(s.toString()).containsEntry("kubernetes.io/role/internal-elb", "1");
          privateSubnets.add(s);
        }
      }
      assertThat(publicSubnets).hasSize(3);
      assertThat(privateSubnets).hasSize(3);
      assertThat(publicSubnets)
          .extracting(s -> s.path("AvailabilityZone").asText())
          .containsExactlyInAnyOrder("eu-west-1a", "eu-west-1b", "eu-west-1c");
      assertThat(publicSubnets)
          .allSatisfy(s -> assertThat(s.path("MapPublicIpOnLaunch").asBoolean()).isTrue());

      // nat: Single, as the seed's eksctl config: one NAT gateway, in a public subnet.
      JsonNode nats =
          aws("ec2", "describe-nat-gateways", "--filter", "Name=vpc-id,Values=" + vpcId)
              .path("NatGateways");
      assertThat(nats).hasSize(1);
      assertThat(nats.path(0).path("State").asText()).isEqualTo("available");
      assertThat(publicSubnets)
          .extracting(s -> s.path("SubnetId").asText())
          .contains(nats.path(0).path("SubnetId").asText());

      List<String> roles = new ArrayList<>();
      aws("iam", "list-roles").path("Roles").forEach(r -> roles.add(r.path("RoleName").asText()));
      assertThat(roles)
          .contains(
              "gitpod-cluster",
              "gitpod-nodes",
              "gitpod-aws-load-balancer-controller",
              "gitpod-ebs-csi-controller-sa",
              "gitpod-cluster-autoscaler",
              "gitpod-cert-manager");
      List<String> nodePolicies = new ArrayList<>();
      aws("iam", "list-attached-role-policies", "--role-name", "gitpod-nodes")
          .path("AttachedPolicies")
          .forEach(p -> nodePolicies.add(p.path("PolicyName").asText()));
      assertThat(nodePolicies)
          .contains(
              "AmazonEKSWorkerNodePolicy",
              "AmazonEKS_CNI_Policy",
              "AmazonEC2ContainerRegistryReadOnly",
              "AmazonSSMManagedInstanceCore");

      Path kubeconfig = updateKubeconfig("gitpod");
      // As on EKS, a principal without an access entry is not let in: refarch made the cluster as
      // the worker (and clusterAdmin), not as this CLI's user.
      Proc refused = runUnchecked(kubectlArgs(kubeconfig, "get", "nodes"), null);
      assertThat(refused.exitCode()).isNotZero();
      assertThat(refused.output()).contains("You must be logged in to the server");
      String me = aws("sts", "get-caller-identity").path("Arn").asText();
      aws("eks", "create-access-entry", "--cluster-name", "gitpod", "--principal-arn", me);
      aws(
          "eks",
          "associate-access-policy",
          "--cluster-name",
          "gitpod",
          "--principal-arn",
          me,
          "--policy-arn",
          "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
          "--access-scope",
          "type=cluster");
      String table = kubectl(kubeconfig, "get", "nodes", "-o", SEED_NODE_COLUMNS);
      List<String> rows = table.lines().toList();
      assertThat(rows.get(0).split("\\s+"))
          .containsExactly("NAME", "RUNTIME", "MAXPODS", "KERNEL", "AMIFAMILY", "K8S", "AMI");
      assertThat(rows.subList(1, rows.size()))
          .as(table)
          .hasSize(4)
          .allSatisfy(
              row -> {
                String[] cells = row.split("\\s{2,}");
                assertThat(cells[0])
                    .matches("ip-192-168-\\d+-\\d+\\.eu-west-1\\.compute\\.internal");
                assertThat(cells[1]).startsWith("containerd://");
                assertThat(cells[2]).isEqualTo("110");
                // aws.amiFamily: Ubuntu2004, the image SSM named for it.
                assertThat(cells[3]).startsWith("5.15.");
                assertThat(cells[4]).isEqualTo("Ubuntu 20.04.6 LTS");
                assertThat(cells[5]).startsWith("v1.22.");
                assertThat(cells[6]).matches("aws:///eu-west-1[abc]/i-[0-9a-f]+");
              });
      JsonNode servicesNodes =
          JSON.readTree(
              kubectl(
                  kubeconfig,
                  "get",
                  "nodes",
                  "-l",
                  "eks.amazonaws.com/nodegroup=services",
                  "-o",
                  "json"));
      assertThat(servicesNodes.path("items")).hasSize(2);
      assertThat(servicesNodes.path("items"))
          .allSatisfy(
              n ->
                  assertThat(fields(n.path("metadata").path("labels")))
                      .containsEntry("gitpod.io/workload_meta", "true")
                      .containsEntry("gitpod.io/workload_ide", "true")
                      .containsEntry("node.kubernetes.io/instance-type", "m6i.xlarge"));
      // What the run left in the cluster, as kubectl sees it: Calico instead of aws-node.
      assertThat(kubectl(kubeconfig, "get", "daemonsets", "-n", "kube-system", "-o", "name"))
          .doesNotContain("daemonset.apps/aws-node");
      assertThat(
              kubectl(
                  kubeconfig,
                  "get",
                  "installation",
                  "default",
                  "-o",
                  "jsonpath={.spec.kubernetesProvider}"))
          .isEqualTo("EKS");
    }
  }

  @Test
  void theSeedsKubectlCalicoStepsRunOnAClusterMadeWithTheCli() throws Exception {
    Path state = dir.resolve("state");
    try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(state))) {
      endpoint = sandbox.endpoints().aws();
      // The least a cluster needs: a role EKS can assume and subnets in two zones.
      String role =
          aws(
                  "iam",
                  "create-role",
                  "--role-name",
                  "calico-cluster",
                  "--assume-role-policy-document",
                  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                      + "\"Principal\":{\"Service\":\"eks.amazonaws.com\"},"
                      + "\"Action\":\"sts:AssumeRole\"}]}")
              .path("Role")
              .path("Arn")
              .asText();
      String vpc =
          aws("ec2", "create-vpc", "--cidr-block", "192.168.0.0/16")
              .path("Vpc")
              .path("VpcId")
              .asText();
      List<String> subnets = new ArrayList<>();
      for (String[] zone :
          new String[][] {{"eu-west-1a", "192.168.0.0/19"}, {"eu-west-1b", "192.168.32.0/19"}}) {
        subnets.add(
            aws(
                    "ec2",
                    "create-subnet",
                    "--vpc-id",
                    vpc,
                    "--availability-zone",
                    zone[0],
                    "--cidr-block",
                    zone[1])
                .path("Subnet")
                .path("SubnetId")
                .asText());
      }
      aws(
          "eks",
          "create-cluster",
          "--name",
          "calico",
          "--kubernetes-version",
          "1.22",
          "--role-arn",
          role,
          "--resources-vpc-config",
          "subnetIds=" + String.join(",", subnets));
      // The CLI's waiter polls every 30 s; the sandbox's clusters are ACTIVE well before the first.
      run(
          List.of(
              "aws",
              "--endpoint-url",
              endpoint,
              "eks",
              "wait",
              "cluster-active",
              "--name",
              "calico"),
          null);

      Path kubeconfig = updateKubeconfig("calico");
      assertThat(kubectl(kubeconfig, "get", "daemonsets", "-n", "kube-system", "-o", "name"))
          .contains("daemonset.apps/aws-node");

      // The seed's three steps, as it gives them (the operator manifest is the local test one).
      assertThat(kubectl(kubeconfig, "delete", "daemonset", "-n", "kube-system", "aws-node"))
          .contains("daemonset.apps \"aws-node\" deleted");
      Path manifest = dir.resolve("tigera-operator.yaml");
      try (var in =
          getClass().getResourceAsStream("/io/refarch/sandbox/mirror/tigera-operator.yaml")) {
        Files.copy(in, manifest);
      }
      assertThat(kubectl(kubeconfig, "create", "-f", manifest.toString()))
          .contains(
              "namespace/tigera-operator created",
              "customresourcedefinition.apiextensions.k8s.io/installations.operator.tigera.io created",
              "deployment.apps/tigera-operator created");
      assertThat(kubectlWithInput(kubeconfig, SEED_INSTALLATION, "create", "-f", "-"))
          .contains("installation.operator.tigera.io/default created");

      assertThat(kubectl(kubeconfig, "get", "daemonsets,deployments", "-A", "-o", "name").lines())
          .containsExactlyInAnyOrder(
              "daemonset.apps/kube-proxy",
              "deployment.apps/coredns",
              "deployment.apps/tigera-operator");
      JsonNode installation =
          JSON.readTree(kubectl(kubeconfig, "get", "installation", "default", "-o", "json"));
      assertThat(installation.path("spec").toString())
          .isEqualTo(
              "{\"calicoNetwork\":{\"bgp\":\"Disabled\"},\"cni\":{\"type\":\"Calico\"},"
                  + "\"kubernetesProvider\":\"EKS\"}");
      // Creating it again is refused, as by a real API server.
      Proc again = runUnchecked(kubectlArgs(kubeconfig, "create", "-f", "-"), SEED_INSTALLATION);
      assertThat(again.exitCode()).as(again.output()).isNotZero();
      assertThat(again.output()).contains("AlreadyExists");
    }
  }

  private JsonNode nodegroup(String name) throws Exception {
    JsonNode group =
        aws("eks", "describe-nodegroup", "--cluster-name", "gitpod", "--nodegroup-name", name)
            .path("nodegroup");
    assertThat(group.path("status").asText()).as(group.toString()).isEqualTo("ACTIVE");
    return group;
  }

  /** {@code aws eks update-kubeconfig} into a file of the test's; checks its exec entry. */
  private Path updateKubeconfig(String cluster) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig-" + cluster);
    Proc p =
        run(
            List.of(
                "aws",
                "--endpoint-url",
                endpoint,
                "eks",
                "update-kubeconfig",
                "--name",
                cluster,
                "--kubeconfig",
                kubeconfig.toString()),
            null);
    assertThat(p.output()).contains("Added new context arn:aws:eks:eu-west-1:");
    assertThat(Files.readString(kubeconfig))
        .contains("get-token")
        .contains("certificate-authority-data");
    return kubeconfig;
  }

  /** One AWS CLI command against the sandbox, its JSON output; fails the test on a nonzero exit. */
  private JsonNode aws(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("aws", "--endpoint-url", endpoint, "--output", "json"));
    command.addAll(Arrays.asList(args));
    Proc p = run(command, null);
    return p.stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(p.stdout());
  }

  private String kubectl(Path kubeconfig, String... args) throws Exception {
    return run(kubectlArgs(kubeconfig, args), null).stdout();
  }

  private String kubectlWithInput(Path kubeconfig, String input, String... args) throws Exception {
    return run(kubectlArgs(kubeconfig, args), input).stdout();
  }

  private static List<String> kubectlArgs(Path kubeconfig, String... args) {
    List<String> command =
        new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(Arrays.asList(args));
    return command;
  }

  record Proc(int exitCode, String stdout, String output) {}

  /**
   * Runs a command with fake keys and a home of the test's, so nothing of the user's AWS or kube
   * configuration (profiles, regions, caches) changes what it does; a nonzero exit fails the test.
   */
  private Proc run(List<String> command, String input) throws Exception {
    Proc p = runUnchecked(command, input);
    assertThat(p.exitCode()).as("%s\n%s", String.join(" ", command), p.output()).isZero();
    return p;
  }

  /** The same, for a command whose failure the test expects. */
  private Proc runUnchecked(List<String> command, String input)
      throws IOException, InterruptedException {
    Path home = Files.createDirectories(dir.resolve("home"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("KUBECONFIG"));
    env.put("HOME", home.toString());
    env.put("AWS_CONFIG_FILE", home.resolve("aws-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("aws-credentials").toString());
    env.put("AWS_ACCESS_KEY_ID", "AKIAAWSCLIORACLETEST");
    env.put("AWS_SECRET_ACCESS_KEY", "not-a-secret-the-sandbox-checks-no-signature");
    env.put("AWS_DEFAULT_REGION", "eu-west-1");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    long started = System.nanoTime();
    // Output to files, so a hung command ends in the timeout below, not in a blocked read.
    Path stdout = Files.createTempFile(dir, "stdout", ".txt");
    Path stderr = Files.createTempFile(dir, "stderr", ".txt");
    builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    Process process = builder.start();
    try (var in = process.getOutputStream()) {
      if (input != null) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    boolean finished = process.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    assertThat(finished).as(String.join(" ", command) + " finished within 60 s").isTrue();
    String out = Files.readString(stdout);
    String err = Files.readString(stderr);
    // Each command's time, in the test's output: the CLI's start-up is most of this test's.
    System.out.printf(
        "%.1f s  %s%n", (System.nanoTime() - started) / 1e9, String.join(" ", command));
    return new Proc(process.exitValue(), out, out + err);
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static Map<String, String> fields(JsonNode object) {
    Map<String, String> map = new HashMap<>();
    object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  private static Map<String, String> tags(JsonNode ec2Resource) {
    return StreamSupport.stream(ec2Resource.path("Tags").spliterator(), false)
        .collect(Collectors.toMap(t -> t.path("Key").asText(), t -> t.path("Value").asText()));
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    return path != null
        && Arrays.stream(path.split(File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }
}
