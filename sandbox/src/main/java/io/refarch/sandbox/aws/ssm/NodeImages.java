package io.refarch.sandbox.aws.ssm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the AMIs {@link Ssm}'s parameters name run, as their nodes report it ({@code
 * status.nodeInfo.osImage} and {@code kernelVersion}): the seed checks the AMI family with {@code
 * kubectl get nodes -o custom-columns=...AMIFAMILY:.status.nodeInfo.osImage}, so an Ubuntu node
 * group must not show Amazon Linux. The versions are of the images published for EKS in 2024.
 */
public final class NodeImages {

  /** The OS of a node as the kubelet reports it. */
  public record NodeImage(String osImage, String kernel) {}

  /** EKS's default AMI type (AL2023), for node groups whose image is not one of these. */
  public static final NodeImage EKS_DEFAULT =
      new NodeImage("Amazon Linux 2023", "6.1.112-124.190.amzn2023.x86_64");

  private NodeImages() {}

  /** The image behind {@code amiId} if a parameter for Kubernetes {@code version} names it. */
  public static Optional<NodeImage> of(String amiId, String version) {
    if (amiId == null || amiId.isEmpty()) {
      return Optional.empty();
    }
    for (Candidate c : candidates(version)) {
      if (Ssm.amiId(c.parameter).equals(amiId)) {
        return Optional.of(c.image);
      }
    }
    return Optional.empty();
  }

  private record Candidate(String parameter, NodeImage image) {}

  private static List<Candidate> candidates(String version) {
    List<Candidate> all = new ArrayList<>();
    String[][] ubuntu = {
      {"20.04", "Ubuntu 20.04.6 LTS", "5.15.0-1051-aws"},
      {"22.04", "Ubuntu 22.04.5 LTS", "6.8.0-1019-aws"},
      {"24.04", "Ubuntu 24.04.1 LTS", "6.8.0-1021-aws"}
    };
    for (String[] release : ubuntu) {
      for (String arch : List.of("amd64", "arm64")) {
        for (String volume : List.of("ebs-gp2", "ebs-gp3")) {
          all.add(
              new Candidate(
                  "/aws/service/canonical/ubuntu/eks/"
                      + release[0]
                      + "/"
                      + version
                      + "/stable/current/"
                      + arch
                      + "/hvm/"
                      + volume
                      + "/ami-id",
                  new NodeImage(release[1], release[2])));
        }
      }
    }
    for (String arch : List.of("x86_64", "arm64")) {
      for (String flavour : List.of("standard", "nvidia", "neuron")) {
        all.add(
            new Candidate(
                "/aws/service/eks/optimized-ami/"
                    + version
                    + "/amazon-linux-2023/"
                    + arch
                    + "/"
                    + flavour
                    + "/recommended/image_id",
                new NodeImage(
                    "Amazon Linux 2023",
                    "6.1.112-124.190.amzn2023." + (arch.equals("arm64") ? "aarch64" : "x86_64"))));
      }
    }
    for (String variant : List.of("", "-arm64", "-gpu")) {
      all.add(
          new Candidate(
              "/aws/service/eks/optimized-ami/"
                  + version
                  + "/amazon-linux-2"
                  + variant
                  + "/recommended/image_id",
              new NodeImage(
                  "Amazon Linux 2",
                  "5.10.226-214.880.amzn2." + (variant.equals("-arm64") ? "aarch64" : "x86_64"))));
    }
    return all;
  }
}
