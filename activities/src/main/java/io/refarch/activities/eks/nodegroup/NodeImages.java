package io.refarch.activities.eks.nodegroup;

/** Which AMI a node group of an image family runs, for a Kubernetes version and architecture. */
@FunctionalInterface
public interface NodeImages {
  /**
   * @param architecture {@code x86_64} or {@code arm64}
   * @return the AMI id
   */
  String imageId(String amiFamily, String kubernetesVersion, String architecture);

  /** arm64 for Graviton instance families (m6g, c7gn, r8g...), else x86_64. */
  static String architecture(String instanceType) {
    String family = instanceType.split("\\.")[0];
    return family.matches("[a-z]+\\d+g[a-z]*") ? "arm64" : "x86_64";
  }
}
