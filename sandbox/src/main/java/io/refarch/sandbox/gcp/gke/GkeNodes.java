package io.refarch.sandbox.gcp.gke;

import com.google.container.v1.Cluster;
import com.google.container.v1.NodePool;
import io.refarch.sandbox.kube.NodeObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Node objects a GKE cluster's kubelets would register, derived from its running node pools:
 * deleting a pool removes its nodes. Nothing here is stored; names and uids are stable for a given
 * cluster and pool.
 */
final class GkeNodes {

  private static final Pattern CPUS = Pattern.compile(".*-(\\d+)$");

  private GkeNodes() {}

  /**
   * @param registered whether a pool's kubelets have registered yet (by pool name)
   */
  static List<NodeObject> of(Cluster cluster, Predicate<String> registered) {
    List<NodeObject> nodes = new ArrayList<>();
    if (cluster == null) {
      return nodes;
    }
    String project = cluster.getSelfLink().replaceFirst(".*/projects/([^/]+)/.*", "$1");
    List<String> zones =
        cluster.getLocationsCount() > 0
            ? cluster.getLocationsList()
            : List.of(cluster.getLocation());
    int address = 2;
    for (NodePool pool : cluster.getNodePoolsList()) {
      int count = registered.test(pool.getName()) ? NodeCount.of(pool) : 0;
      String hash = String.format("%08x", (cluster.getName() + "/" + pool.getName()).hashCode());
      List<String> poolZones = pool.getLocationsCount() > 0 ? pool.getLocationsList() : zones;
      for (int i = 0; i < count; i++) {
        String suffix = String.format("%04x", (hash + i).hashCode() & 0xffff);
        String name =
            truncate("gke-" + cluster.getName() + "-" + pool.getName(), 45)
                + "-"
                + hash
                + "-"
                + suffix;
        nodes.add(
            node(
                project,
                cluster,
                pool,
                name,
                poolZones.get(i % poolZones.size()),
                "10.128.0." + address++));
      }
    }
    return nodes;
  }

  private static NodeObject node(
      String project, Cluster cluster, NodePool pool, String name, String zone, String ip) {
    String machineType = pool.getConfig().getMachineType();
    Matcher m = CPUS.matcher(machineType);
    int cpus = m.matches() ? Integer.parseInt(m.group(1)) : 2;
    long pods =
        pool.getMaxPodsConstraint().getMaxPodsPerNode() == 0
            ? 110
            : pool.getMaxPodsConstraint().getMaxPodsPerNode();
    boolean ubuntu = pool.getConfig().getImageType().toUpperCase().contains("UBUNTU");
    String region = zone.matches(".*-[a-z]$") ? zone.substring(0, zone.length() - 2) : zone;
    String uid =
        UUID.nameUUIDFromBytes(
                (cluster.getSelfLink() + "/" + name).getBytes(StandardCharsets.UTF_8))
            .toString();

    Map<String, String> labels = new LinkedHashMap<>(pool.getConfig().getLabelsMap());
    labels.put("cloud.google.com/gke-nodepool", pool.getName());
    labels.put("cloud.google.com/gke-os-distribution", ubuntu ? "ubuntu" : "cos");
    labels.put("cloud.google.com/gke-container-runtime", "containerd");
    labels.put(
        "cloud.google.com/machine-family",
        machineType.contains("-")
            ? machineType.substring(0, machineType.indexOf('-'))
            : machineType);
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/hostname", name);
    labels.put("node.kubernetes.io/instance-type", machineType);
    labels.put("topology.kubernetes.io/region", region);
    labels.put("topology.kubernetes.io/zone", zone);

    List<NodeObject.Taint> taints =
        pool.getConfig().getTaintsList().stream()
            .map(
                t ->
                    new NodeObject.Taint(
                        t.getKey(),
                        t.getValue(),
                        switch (t.getEffect()) {
                          case NO_EXECUTE -> "NoExecute";
                          case PREFER_NO_SCHEDULE -> "PreferNoSchedule";
                          default -> "NoSchedule";
                        }))
            .toList();
    String version =
        "v" + (pool.getVersion().isEmpty() ? cluster.getCurrentNodeVersion() : pool.getVersion());
    return new NodeObject(
        name,
        uid,
        creation(cluster),
        labels,
        "gce://" + project + "/" + zone + "/" + name,
        "10.8." + (ip.hashCode() & 0x7f) + ".0/24",
        taints,
        cpus,
        pods,
        pool.getConfig().getDiskSizeGb() == 0 ? 100 : pool.getConfig().getDiskSizeGb(),
        ip,
        version,
        "containerd://1.6.18",
        ubuntu ? "5.15.0-1030-gke" : "6.1.100+",
        ubuntu ? "Ubuntu 22.04" : "Container-Optimized OS from Google");
  }

  private static String creation(Cluster cluster) {
    try {
      return Instant.parse(cluster.getCreateTime()).truncatedTo(ChronoUnit.SECONDS).toString();
    } catch (RuntimeException e) {
      return Instant.EPOCH.toString();
    }
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
