package io.refarch.sandbox.aws.ssm;

import java.util.ArrayList;
import java.util.List;

/**
 * What a node booted from an AMI reports (its OS image and kernel), for the AMIs the sandbox's SSM
 * parameters name: an id is matched back to the parameter that gave it for the cluster's version.
 * An unknown id (or none: EKS's own AMI) is Amazon Linux 2023, EKS's default image.
 *
 * @param osImage {@code status.nodeInfo.osImage}
 * @param kernel {@code status.nodeInfo.kernelVersion}
 */
public record NodeImage(String osImage, String kernel) {

  static final NodeImage AMAZON_LINUX_2023 =
      new NodeImage("Amazon Linux 2023.6.20241010", "6.1.112-124.190.amzn2023.x86_64");
  static final NodeImage AMAZON_LINUX_2 =
      new NodeImage("Amazon Linux 2", "5.10.226-214.879.amzn2.x86_64");
  static final NodeImage UBUNTU_2004 = new NodeImage("Ubuntu 20.04.6 LTS", "5.15.0-1072-aws");
  static final NodeImage UBUNTU_2204 = new NodeImage("Ubuntu 22.04.5 LTS", "6.8.0-1019-aws");
  static final NodeImage UBUNTU_2404 = new NodeImage("Ubuntu 24.04.1 LTS", "6.8.0-1019-aws");

  /** The image {@code amiId} is, for a node group of Kubernetes {@code version} ("1.22"). */
  public static NodeImage of(String amiId, String version) {
    for (Candidate c : candidates(version)) {
      if (Ssm.amiId(c.parameter()).equals(amiId)) {
        return c.image();
      }
    }
    return AMAZON_LINUX_2023;
  }

  private record Candidate(String parameter, NodeImage image) {}

  /** Every parameter {@link Ssm} answers for {@code version}, with the image it names. */
  private static List<Candidate> candidates(String version) {
    List<Candidate> all = new ArrayList<>();
    String[][] ubuntu = {{"20.04", "0"}, {"22.04", "1"}, {"24.04", "2"}};
    NodeImage[] ubuntuImages = {UBUNTU_2004, UBUNTU_2204, UBUNTU_2404};
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
                  ubuntuImages[Integer.parseInt(release[1])]));
        }
      }
    }
    for (String arch : List.of("x86_64", "arm64")) {
      for (String variant : List.of("standard", "nvidia", "neuron")) {
        all.add(
            new Candidate(
                "/aws/service/eks/optimized-ami/"
                    + version
                    + "/amazon-linux-2023/"
                    + arch
                    + "/"
                    + variant
                    + "/recommended/image_id",
                AMAZON_LINUX_2023));
      }
    }
    for (String flavour : List.of("", "-arm64", "-gpu")) {
      all.add(
          new Candidate(
              "/aws/service/eks/optimized-ami/"
                  + version
                  + "/amazon-linux-2"
                  + flavour
                  + "/recommended/image_id",
              AMAZON_LINUX_2));
    }
    return all;
  }
}
