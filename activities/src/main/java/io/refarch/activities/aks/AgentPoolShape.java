package io.refarch.activities.aks;

import com.azure.resourcemanager.containerservice.fluent.models.AgentPoolInner;
import com.azure.resourcemanager.containerservice.models.AgentPoolMode;
import com.azure.resourcemanager.containerservice.models.AgentPoolType;
import com.azure.resourcemanager.containerservice.models.ManagedClusterAgentPoolProfile;
import com.azure.resourcemanager.containerservice.models.OSDiskType;
import com.azure.resourcemanager.containerservice.models.OSType;
import io.refarch.spec.NodePool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A spec's node pool as an AKS agent pool: {@code az aks nodepool add --node-vm-size
 * --node-osdisk-size --max-pods --labels --enable-cluster-autoscaler --min-count --max-count
 * --zones}, on scale sets. The same fields go into the cluster's system pool profile and into a
 * separate agent pool, and adoption compares the same fields.
 */
record AgentPoolShape(
    String name,
    AgentPoolMode mode,
    String vmSize,
    int count,
    int minCount,
    int maxCount,
    int maxPods,
    int osDiskSizeGb,
    String osDiskType,
    Map<String, String> labels,
    List<String> zones,
    Map<String, String> tags) {

  static AgentPoolShape of(
      NodePool pool, boolean system, List<String> zones, Map<String, String> tags) {
    return new AgentPoolShape(
        pool.name(),
        system ? AgentPoolMode.SYSTEM : AgentPoolMode.USER,
        pool.machineType(),
        pool.initialNodes(),
        pool.minNodes(),
        pool.maxNodes(),
        pool.maxPods(),
        pool.diskSizeGb(),
        pool.diskType(),
        pool.labels() == null ? Map.of() : pool.labels(),
        zones == null || zones.isEmpty() ? null : zones,
        tags);
  }

  /** AKS autoscales only when min and max differ; a fixed pool sets its count alone. */
  boolean autoscaling() {
    return minCount != maxCount;
  }

  ManagedClusterAgentPoolProfile profile() {
    ManagedClusterAgentPoolProfile p =
        new ManagedClusterAgentPoolProfile()
            .withName(name)
            .withMode(mode)
            .withType(AgentPoolType.VIRTUAL_MACHINE_SCALE_SETS)
            .withOsType(OSType.LINUX)
            .withVmSize(vmSize)
            .withCount(count)
            .withMaxPods(maxPods)
            .withOsDiskSizeGB(osDiskSizeGb)
            .withOsDiskType(OSDiskType.fromString(osDiskType))
            .withNodeLabels(labels)
            .withAvailabilityZones(zones)
            .withTags(tags)
            .withEnableAutoScaling(autoscaling());
    if (autoscaling()) {
      p.withMinCount(minCount).withMaxCount(maxCount);
    }
    return p;
  }

  AgentPoolInner agentPool() {
    AgentPoolInner p =
        new AgentPoolInner()
            .withMode(mode)
            .withTypePropertiesType(AgentPoolType.VIRTUAL_MACHINE_SCALE_SETS)
            .withOsType(OSType.LINUX)
            .withVmSize(vmSize)
            .withCount(count)
            .withMaxPods(maxPods)
            .withOsDiskSizeGB(osDiskSizeGb)
            .withOsDiskType(OSDiskType.fromString(osDiskType))
            .withNodeLabels(labels)
            .withAvailabilityZones(zones)
            .withTags(tags)
            .withEnableAutoScaling(autoscaling());
    if (autoscaling()) {
      p.withMinCount(minCount).withMaxCount(maxCount);
    }
    return p;
  }

  /** What differs between this and an existing pool, as "field: found, wanted"; empty if none. */
  List<String> differences(
      String vmSize, Integer maxPods, AgentPoolMode mode, Map<String, String> labels) {
    List<String> d = new ArrayList<>();
    if (!this.vmSize.equalsIgnoreCase(String.valueOf(vmSize))) {
      d.add("vmSize: " + vmSize + ", wanted " + this.vmSize);
    }
    if (!Objects.equals(this.maxPods, maxPods)) {
      d.add("maxPods: " + maxPods + ", wanted " + this.maxPods);
    }
    if (!this.mode.equals(mode)) {
      d.add("mode: " + mode + ", wanted " + this.mode);
    }
    Map<String, String> found = labels == null ? Map.of() : labels;
    this.labels.forEach(
        (k, v) -> {
          if (!v.equals(found.get(k))) {
            d.add("label " + k + ": " + found.get(k) + ", wanted " + v);
          }
        });
    return d;
  }
}
