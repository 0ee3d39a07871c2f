package io.refarch.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.core.Json;
import java.util.List;
import java.util.Map;

/**
 * One Node as a kubelet registers it, Ready: what a cloud decides (name, labels, machine, images)
 * as fields, the shape of the Kubernetes object here once for every cloud.
 *
 * @param labels the node's labels, the pool's and the cloud's well-known ones
 * @param taints each as key, value, effect (NoSchedule, PreferNoSchedule, NoExecute)
 * @param created creation and condition time, RFC 3339
 * @param kubelet kubelet and kube-proxy version, e.g. "v1.32.4-gke.1106000"
 */
public record NodeObject(
    String name,
    String uid,
    String created,
    Map<String, String> labels,
    String providerId,
    String podCidr,
    List<Taint> taints,
    int cpus,
    long pods,
    long diskGb,
    String internalIp,
    String kubelet,
    String containerRuntime,
    String kernel,
    String osImage) {

  public record Taint(String key, String value, String effect) {}

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("apiVersion", "v1").put("kind", "Node");
    ObjectNode metadata = node.putObject("metadata");
    metadata.put("name", name);
    metadata.put("uid", uid);
    metadata.put("resourceVersion", "1");
    metadata.put("creationTimestamp", created);
    ObjectNode labelNode = metadata.putObject("labels");
    labels.forEach(labelNode::put);

    ObjectNode spec = node.putObject("spec");
    spec.put("providerID", providerId);
    spec.put("podCIDR", podCidr);
    taints.forEach(
        t ->
            spec.withArray("taints")
                .addObject()
                .put("key", t.key())
                .put("value", t.value())
                .put("effect", t.effect()));

    ObjectNode status = node.putObject("status");
    String memory = (cpus * 4) + "Gi";
    String podCount = Long.toString(pods);
    status
        .putObject("capacity")
        .put("cpu", Integer.toString(cpus))
        .put("memory", memory)
        .put("pods", podCount)
        .put("ephemeral-storage", diskGb + "Gi");
    status
        .putObject("allocatable")
        .put("cpu", (cpus * 1000 - 100) + "m")
        .put("memory", memory)
        .put("pods", podCount);
    status
        .putArray("conditions")
        .addObject()
        .put("type", "Ready")
        .put("status", "True")
        .put("reason", "KubeletReady")
        .put("message", "kubelet is posting ready status")
        .put("lastHeartbeatTime", created)
        .put("lastTransitionTime", created);
    status
        .putArray("addresses")
        .add(Json.object().put("type", "InternalIP").put("address", internalIp))
        .add(Json.object().put("type", "Hostname").put("address", name));
    String machineId = uid.replace("-", "");
    status
        .putObject("nodeInfo")
        .put("architecture", "amd64")
        .put("containerRuntimeVersion", containerRuntime)
        .put("kernelVersion", kernel)
        .put("kubeProxyVersion", kubelet)
        .put("kubeletVersion", kubelet)
        .put("operatingSystem", "linux")
        .put("osImage", osImage)
        .put("machineID", machineId)
        .put("systemUUID", uid)
        .put("bootID", uid);
    return node;
  }
}
