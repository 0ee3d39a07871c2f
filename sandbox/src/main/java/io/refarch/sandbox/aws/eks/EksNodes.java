package io.refarch.sandbox.aws.eks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.refarch.sandbox.aws.ec2.Ec2;
import io.refarch.sandbox.aws.ec2.Ec2Network;
import io.refarch.sandbox.aws.ssm.NodeImages;
import io.refarch.sandbox.kube.KubeResource;
import io.refarch.sandbox.kube.KubeStore;
import io.refarch.sandbox.kube.NodeObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Nodes an ACTIVE managed node group registers: its desired size, spread over its subnets'
 * zones, named as EC2 names instances ({@code ip-10-0-1-23.ec2.internal}), labelled with the
 * group's labels and the ones EKS and the kubelet add, running the image the launch template names
 * ({@link NodeImages}) with the max pods its user data and the pod network they joined with give.
 */
final class EksNodes {

  private EksNodes() {}

  /**
   * The nodes of {@code group}, which joined the cluster with {@code podNetwork} ({@link
   * #podNetwork}; null for groups from before the sandbox recorded it: as with Calico).
   */
  static List<NodeObject> of(JsonNode cluster, JsonNode group, Ec2 ec2, String podNetwork) {
    List<Ec2Network.Subnet> subnets = new ArrayList<>();
    group
        .path("subnets")
        .forEach(
            id ->
                (ec2 == null ? Optional.<Ec2Network.Subnet>empty() : ec2.subnet(id.asText()))
                    .ifPresent(subnets::add));
    String region = cluster.path("arn").asText().split(":")[3];
    String name = group.path("nodegroupName").asText();
    String version = group.path("version").asText(cluster.path("version").asText());
    // With a launch template (as eksctl and refarch make node groups), the machine and its root
    // volume and image are the template's: kubectl shows what a node really runs.
    JsonNode template = launchTemplateData(group, region, ec2);
    String instanceType =
        template
            .path("InstanceType")
            .asText(group.path("instanceTypes").path(0).asText("m5.large"));
    long diskGb =
        template
            .path("BlockDeviceMappings")
            .path(0)
            .path("Ebs")
            .path("VolumeSize")
            .asLong(group.path("diskSize").asLong(20));
    NodeImages.NodeImage image =
        NodeImages.of(template.path("ImageId").asText(null), version)
            .orElse(NodeImages.EKS_DEFAULT);
    String created =
        Instant.ofEpochMilli(Math.round(group.path("modifiedAt").asDouble() * 1000))
            .truncatedTo(ChronoUnit.SECONDS)
            .toString();
    List<NodeObject.Taint> taints = new ArrayList<>();
    group
        .path("taints")
        .forEach(
            t ->
                taints.add(
                    new NodeObject.Taint(
                        t.path("key").asText(),
                        t.path("value").asText(""),
                        switch (t.path("effect").asText()) {
                          case "NO_EXECUTE" -> "NoExecute";
                          case "PREFER_NO_SCHEDULE" -> "PreferNoSchedule";
                          default -> "NoSchedule";
                        })));
    int fromUserData = maxPods(template);
    int maxPods =
        AWS_NODE.equals(podNetwork) ? eniMaxPods(instanceType).orElse(fromUserData) : fromUserData;
    int size = group.path("scalingConfig").path("desiredSize").asInt();
    List<NodeObject> nodes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Ec2Network.Subnet subnet = subnets.isEmpty() ? null : subnets.get(i % subnets.size());
      String zone = subnet == null ? region + "a" : subnet.availabilityZone;
      String ip = address(subnet == null ? "10.0.0.0/16" : subnet.cidrBlock, name, i);
      String host =
          "ip-"
              + ip.replace('.', '-')
              + (region.equals("us-east-1") ? ".ec2.internal" : "." + region + ".compute.internal");
      String uid =
          UUID.nameUUIDFromBytes(
                  (group.path("nodegroupArn").asText() + "/" + i).getBytes(StandardCharsets.UTF_8))
              .toString();
      Map<String, String> labels = new LinkedHashMap<>();
      group
          .path("labels")
          .fields()
          .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      labels.put("eks.amazonaws.com/nodegroup", name);
      labels.put("eks.amazonaws.com/capacityType", group.path("capacityType").asText("ON_DEMAND"));
      labels.put("kubernetes.io/arch", "amd64");
      labels.put("kubernetes.io/os", "linux");
      labels.put("kubernetes.io/hostname", host);
      labels.put("node.kubernetes.io/instance-type", instanceType);
      labels.put("topology.kubernetes.io/region", region);
      labels.put("topology.kubernetes.io/zone", zone);
      nodes.add(
          new NodeObject(
              host,
              uid,
              created,
              labels,
              "aws:///" + zone + "/i-" + uid.replace("-", "").substring(0, 17),
              null,
              taints,
              8,
              maxPods,
              diskGb,
              ip,
              "v" + version + ".0-eks-sandbox",
              "containerd://1.7.22",
              image.kernel(),
              image.osImage()));
    }
    return nodes;
  }

  /** The kubelet's own default, what a node gets when its user data sets no max pods. */
  static final int KUBELET_DEFAULT_MAX_PODS = 110;

  /** The pod networks a node can join with; see {@link #podNetwork}. */
  static final String AWS_NODE = "aws-node";

  static final String CALICO = "calico";
  static final String NONE = "none";

  static final KubeResource DAEMON_SETS =
      KubeResource.find("apps", "v1", "daemonsets").orElseThrow();
  static final KubeResource INSTALLATIONS =
      KubeResource.find("operator.tigera.io", "v1", "installations").orElseThrow();

  /**
   * The pod network a node joining the cluster now comes up with: the VPC CNI while the {@code
   * aws-node} DaemonSet exists, Calico once that is deleted and Calico's {@code Installation}
   * exists, none in between. The seed's reason for its order: nodes that join with the VPC CNI get
   * the ENI-bound max pods of their instance type (see {@link #eniMaxPods}), and keep it.
   */
  static String podNetwork(KubeStore store) {
    if (store == null) {
      return NONE;
    }
    if (store.get(DAEMON_SETS, "kube-system", "aws-node").isPresent()) {
      return AWS_NODE;
    }
    return store.get(INSTALLATIONS, null, "default").isPresent() ? CALICO : NONE;
  }

  /**
   * Max pods under the VPC CNI, from the instance type's network interfaces: ENIs × (IPv4 addresses
   * per ENI − 1) + 2, as AWS's {@code eni-max-pods.txt} (awslabs/amazon-eks-ami) lists them. Only
   * the types the presets and tests use; others are not known here.
   */
  static Optional<Integer> eniMaxPods(String instanceType) {
    Integer[] eniAndAddresses =
        switch (instanceType) {
          case "t3.medium" -> new Integer[] {3, 6};
          case "t3.large", "t3.xlarge", "t3.2xlarge" -> new Integer[] {3, 12};
          case "m5.large", "m6i.large" -> new Integer[] {3, 10};
          case "m5.xlarge", "m5.2xlarge", "m6i.xlarge", "m6i.2xlarge" -> new Integer[] {4, 15};
          case "m5.4xlarge", "m6i.4xlarge" -> new Integer[] {8, 30};
          default -> null;
        };
    return eniAndAddresses == null
        ? Optional.empty()
        : Optional.of(eniAndAddresses[0] * (eniAndAddresses[1] - 1) + 2);
  }

  private static final Pattern MAX_PODS =
      Pattern.compile("--max-pods[= ](\\d+)|maxPods:\\s*(\\d+)");

  /**
   * The max pods the kubelet is started with, as EKS nodes get it: from the user data of the node
   * group's launch template ({@code bootstrap.sh --kubelet-extra-args '--max-pods=N'} or a
   * NodeConfig's {@code kubelet.config.maxPods}, in a MIME multipart or not); without a launch
   * template or a value there, the kubelet's default.
   */
  static int maxPods(JsonNode launchTemplateData) {
    String encoded = launchTemplateData.path("UserData").asText("");
    String userData;
    try {
      userData = new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return KUBELET_DEFAULT_MAX_PODS;
    }
    Matcher m = MAX_PODS.matcher(userData);
    if (!m.find()) {
      return KUBELET_DEFAULT_MAX_PODS;
    }
    return Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
  }

  /**
   * The LaunchTemplateData of the node group's launch template, or a missing node when it has none
   * (or it is gone).
   */
  static JsonNode launchTemplateData(JsonNode group, String region, Ec2 ec2) {
    JsonNode template = group.path("launchTemplate");
    if (ec2 == null || template.isMissingNode()) {
      return MissingNode.getInstance();
    }
    String id = template.path("id").asText(null);
    String name = template.path("name").asText(null);
    List<Ec2Network.LaunchTemplate> found;
    try {
      found =
          ec2.describeLaunchTemplates(
              region,
              id == null ? List.of() : List.of(id),
              id != null || name == null ? List.of() : List.of(name),
              Map.of());
    } catch (RuntimeException gone) {
      return MissingNode.getInstance();
    }
    if (found.isEmpty() || found.get(0).data == null) {
      return MissingNode.getInstance();
    }
    return found.get(0).data;
  }

  /** An address in the subnet, the same for the same node. */
  private static String address(String cidr, String group, int index) {
    String[] parts = cidr.split("/");
    long base = 0;
    for (String octet : parts[0].split("\\.")) {
      base = base << 8 | Long.parseLong(octet);
    }
    long size = 1L << (32 - Integer.parseInt(parts[1]));
    long offset = 10 + Math.floorMod((group + "/" + index).hashCode(), Math.max(1, size - 20));
    long ip = base + offset;
    return (ip >> 24 & 255) + "." + (ip >> 16 & 255) + "." + (ip >> 8 & 255) + "." + (ip & 255);
  }
}
