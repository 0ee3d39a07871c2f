package io.refarch.sandbox.azure.aks;

import com.fasterxml.jackson.databind.JsonNode;
import io.refarch.sandbox.azure.compute.VmSizes;
import io.refarch.sandbox.kube.NodeObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Nodes of a running agent pool as AKS's scale set VMs register them: {@code count} nodes named
 * {@code aks-POOL-NNNNNNNN-vmss00000N} (the instance index in base 36, as the scale set names its
 * computers), with AKS's labels and the pool's, Ubuntu 22.04 with an Azure kernel and containerd,
 * the pool's max pods as pod capacity.
 */
final class AksNodes {

  private AksNodes() {}

  static final String KERNEL = "5.15.0-1079-azure";
  static final String OS_IMAGE = "Ubuntu 22.04.5 LTS";
  static final String CONTAINERD = "containerd://1.7.28-1";

  static List<NodeObject> of(Aks.Cluster c, Aks.Pool pool) {
    JsonNode p = pool.properties;
    String vmSize = p.path("vmSize").asText();
    VmSizes.VmSize size = VmSizes.of(vmSize).orElse(new VmSizes.VmSize(vmSize, "", 2, 8));
    String version = p.path("currentOrchestratorVersion").asText();
    String nodeGroup = c.resource.path("properties").path("nodeResourceGroup").asText();
    String scaleSet = "aks-" + pool.name + "-" + c.nodeNumber + "-vmss";
    String created = Instant.ofEpochMilli(pool.readyAt).truncatedTo(ChronoUnit.SECONDS).toString();
    List<String> zones = new ArrayList<>();
    p.path("availabilityZones").forEach(z -> zones.add(z.asText()));
    List<NodeObject.Taint> taints = new ArrayList<>();
    p.path("nodeTaints")
        .forEach(
            t -> {
              // key=value:Effect, as AKS takes them
              String text = t.asText();
              int colon = text.lastIndexOf(':');
              String kv = colon < 0 ? text : text.substring(0, colon);
              int eq = kv.indexOf('=');
              taints.add(
                  new NodeObject.Taint(
                      eq < 0 ? kv : kv.substring(0, eq),
                      eq < 0 ? "" : kv.substring(eq + 1),
                      colon < 0 ? "NoSchedule" : text.substring(colon + 1)));
            });
    int count = p.path("count").asInt();
    int maxPods = p.path("maxPods").asInt(Aks.DEFAULT_MAX_PODS);
    String mode = p.path("mode").asText("User").toLowerCase();
    List<NodeObject> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String index = Integer.toString(i, 36);
      String name = scaleSet + "0".repeat(Math.max(0, 6 - index.length())) + index;
      String zone = zones.isEmpty() ? "0" : c.location + "-" + zones.get(i % zones.size());
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("agentpool", pool.name);
      labels.put("beta.kubernetes.io/arch", "amd64");
      labels.put("beta.kubernetes.io/instance-type", size.name());
      labels.put("beta.kubernetes.io/os", "linux");
      labels.put("failure-domain.beta.kubernetes.io/region", c.location);
      labels.put("failure-domain.beta.kubernetes.io/zone", zone);
      labels.put("kubernetes.azure.com/agentpool", pool.name);
      labels.put("kubernetes.azure.com/cluster", nodeGroup);
      labels.put("kubernetes.azure.com/mode", mode);
      labels.put("kubernetes.azure.com/node-image-version", p.path("nodeImageVersion").asText());
      labels.put("kubernetes.azure.com/os-sku", p.path("osSKU").asText("Ubuntu"));
      labels.put("kubernetes.azure.com/role", "agent");
      labels.put("kubernetes.io/arch", "amd64");
      labels.put("kubernetes.io/hostname", name);
      labels.put("kubernetes.io/os", "linux");
      labels.put("kubernetes.io/role", "agent");
      labels.put("node-role.kubernetes.io/agent", "");
      labels.put("node.kubernetes.io/instance-type", size.name());
      labels.put("topology.kubernetes.io/region", c.location);
      labels.put("topology.kubernetes.io/zone", zone);
      p.path("nodeLabels")
          .fields()
          .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      String uid =
          UUID.nameUUIDFromBytes(
                  (c.subscription + "/" + nodeGroup + "/" + name).getBytes(StandardCharsets.UTF_8))
              .toString();
      nodes.add(
          new NodeObject(
              name,
              uid,
              created,
              labels,
              "azure:///subscriptions/"
                  + c.subscription
                  + "/resourceGroups/"
                  + nodeGroup.toLowerCase()
                  + "/providers/Microsoft.Compute/virtualMachineScaleSets/"
                  + scaleSet
                  + "/virtualMachines/"
                  + i,
              null,
              taints,
              size.vcpus(),
              maxPods,
              p.path("osDiskSizeGB").asLong(128),
              "10.224.0." + (4 + Math.floorMod((pool.name + "/" + i).hashCode(), 250)),
              "v" + version,
              CONTAINERD,
              KERNEL,
              OS_IMAGE));
    }
    return nodes;
  }
}
