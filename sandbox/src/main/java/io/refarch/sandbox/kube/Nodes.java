package io.refarch.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.container.v1.Cluster;
import com.google.container.v1.NodePool;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.gke.NodeCount;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Node objects a GKE cluster's kubelets would register, derived from its running node pools: deleting a
 * pool removes its nodes. Nothing here is stored; names and uids are stable for a given cluster and pool.
 */
final class Nodes {

    private static final Pattern CPUS = Pattern.compile(".*-(\\d+)$");

    private Nodes() {
    }

    static List<ObjectNode> of(Cluster cluster) {
        List<ObjectNode> nodes = new ArrayList<>();
        if (cluster == null) {
            return nodes;
        }
        String project = cluster.getSelfLink().replaceFirst(".*/projects/([^/]+)/.*", "$1");
        List<String> zones = cluster.getLocationsCount() > 0 ? cluster.getLocationsList() : List.of(cluster.getLocation());
        int address = 2;
        for (NodePool pool : cluster.getNodePoolsList()) {
            int count = NodeCount.of(pool);
            String hash = String.format("%08x", (cluster.getName() + "/" + pool.getName()).hashCode());
            List<String> poolZones = pool.getLocationsCount() > 0 ? pool.getLocationsList() : zones;
            for (int i = 0; i < count; i++) {
                String suffix = String.format("%04x", (hash + i).hashCode() & 0xffff);
                String name = truncate("gke-" + cluster.getName() + "-" + pool.getName(), 45) + "-" + hash + "-" + suffix;
                nodes.add(node(project, cluster, pool, name, poolZones.get(i % poolZones.size()), "10.128.0." + address++));
            }
        }
        return nodes;
    }

    private static ObjectNode node(String project, Cluster cluster, NodePool pool, String name, String zone, String ip) {
        String machineType = pool.getConfig().getMachineType();
        Matcher m = CPUS.matcher(machineType);
        int cpus = m.matches() ? Integer.parseInt(m.group(1)) : 2;
        String pods = Long.toString(pool.getMaxPodsConstraint().getMaxPodsPerNode() == 0 ? 110 : pool.getMaxPodsConstraint().getMaxPodsPerNode());
        boolean ubuntu = pool.getConfig().getImageType().toUpperCase().contains("UBUNTU");
        String region = zone.matches(".*-[a-z]$") ? zone.substring(0, zone.length() - 2) : zone;

        ObjectNode node = Json.object();
        node.put("apiVersion", "v1").put("kind", "Node");
        ObjectNode metadata = node.putObject("metadata");
        metadata.put("name", name);
        metadata.put("uid", UUID.nameUUIDFromBytes((cluster.getSelfLink() + "/" + name).getBytes(StandardCharsets.UTF_8)).toString());
        metadata.put("resourceVersion", "1");
        metadata.put("creationTimestamp", creation(cluster));
        ObjectNode labels = metadata.putObject("labels");
        pool.getConfig().getLabelsMap().forEach(labels::put);
        labels.put("cloud.google.com/gke-nodepool", pool.getName());
        labels.put("cloud.google.com/gke-os-distribution", ubuntu ? "ubuntu" : "cos");
        labels.put("cloud.google.com/gke-container-runtime", "containerd");
        labels.put("cloud.google.com/machine-family", machineType.contains("-") ? machineType.substring(0, machineType.indexOf('-')) : machineType);
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/hostname", name);
        labels.put("node.kubernetes.io/instance-type", machineType);
        labels.put("topology.kubernetes.io/region", region);
        labels.put("topology.kubernetes.io/zone", zone);

        ObjectNode spec = node.putObject("spec");
        spec.put("providerID", "gce://" + project + "/" + zone + "/" + name);
        spec.put("podCIDR", "10.8." + (ip.hashCode() & 0x7f) + ".0/24");
        if (pool.getConfig().getTaintsCount() > 0) {
            pool.getConfig().getTaintsList().forEach(t -> spec.withArray("taints").addObject()
                    .put("key", t.getKey()).put("value", t.getValue())
                    .put("effect", switch (t.getEffect()) {
                        case NO_EXECUTE -> "NoExecute";
                        case PREFER_NO_SCHEDULE -> "PreferNoSchedule";
                        default -> "NoSchedule";
                    }));
        }

        ObjectNode status = node.putObject("status");
        String memory = (cpus * 4) + "Gi";
        status.putObject("capacity").put("cpu", Integer.toString(cpus)).put("memory", memory).put("pods", pods)
                .put("ephemeral-storage", (pool.getConfig().getDiskSizeGb() == 0 ? 100 : pool.getConfig().getDiskSizeGb()) + "Gi");
        status.putObject("allocatable").put("cpu", (cpus * 1000 - 100) + "m").put("memory", memory).put("pods", pods);
        String now = creation(cluster);
        status.putArray("conditions").addObject()
                .put("type", "Ready").put("status", "True").put("reason", "KubeletReady")
                .put("message", "kubelet is posting ready status").put("lastHeartbeatTime", now).put("lastTransitionTime", now);
        status.putArray("addresses")
                .add(Json.object().put("type", "InternalIP").put("address", ip))
                .add(Json.object().put("type", "Hostname").put("address", name));
        String version = "v" + (pool.getVersion().isEmpty() ? cluster.getCurrentNodeVersion() : pool.getVersion());
        status.putObject("nodeInfo")
                .put("architecture", "amd64")
                .put("containerRuntimeVersion", "containerd://1.6.18")
                .put("kernelVersion", ubuntu ? "5.15.0-1030-gke" : "6.1.100+")
                .put("kubeProxyVersion", version)
                .put("kubeletVersion", version)
                .put("operatingSystem", "linux")
                .put("osImage", ubuntu ? "Ubuntu 22.04" : "Container-Optimized OS from Google")
                .put("machineID", metadata.path("uid").asText().replace("-", ""))
                .put("systemUUID", metadata.path("uid").asText())
                .put("bootID", metadata.path("uid").asText());
        return node;
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
