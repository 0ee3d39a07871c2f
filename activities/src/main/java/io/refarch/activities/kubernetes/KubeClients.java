package io.refarch.activities.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.refarch.activities.Failures;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.kubernetes.KubeconfigRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fabric8 client for the cluster a kubeconfig file (written by a cloud activity) points at. */
final class KubeClients {
  private KubeClients() {}

  static KubernetesClient open(KubeconfigRef ref) {
    if (ref == null || ref.path() == null) {
      throw Failures.permanent(FailureTypes.INVALID_ARGUMENT, "kubeconfig: no path given");
    }
    Path path = Path.of(ref.path());
    if (!Files.isRegularFile(path)) {
      // Written by an earlier step, possibly on another worker: a retry cannot produce it.
      throw Failures.permanent(
          FailureTypes.INVALID_ARGUMENT, "kubeconfig " + path + " is not a file on this worker");
    }
    try {
      Config config = Config.fromKubeconfig(Files.readString(path, StandardCharsets.UTF_8));
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw Failures.permanent(
          FailureTypes.INVALID_ARGUMENT, "cannot read kubeconfig " + path + ": " + e.getMessage());
    }
  }
}
