package io.refarch.sandbox.aws.ssm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A node on an AMI the SSM parameters named reports that AMI's OS: Ubuntu for Canonical's EKS
 * images (the seed's Ubuntu2004 node groups), Amazon Linux for EKS's own.
 */
class NodeImagesTest {

  @Test
  void theOsOfTheImageAParameterNamed() {
    String ubuntu2004 =
        Ssm.amiId(
            "/aws/service/canonical/ubuntu/eks/20.04/1.22/stable/current/amd64/hvm/ebs-gp2/ami-id");
    String al2023 =
        Ssm.amiId(
            "/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/arm64/standard/recommended/image_id");
    String al2 =
        Ssm.amiId("/aws/service/eks/optimized-ami/1.29/amazon-linux-2/recommended/image_id");

    assertThat(NodeImages.of(ubuntu2004, "1.22"))
        .contains(new NodeImages.NodeImage("Ubuntu 20.04.6 LTS", "5.15.0-1051-aws"));
    assertThat(NodeImages.of(al2023, "1.31").orElseThrow().kernel()).endsWith(".aarch64");
    assertThat(NodeImages.of(al2, "1.29").orElseThrow().osImage()).isEqualTo("Amazon Linux 2");
    assertThat(NodeImages.of(ubuntu2004, "1.23")).as("another version's image").isEmpty();
    assertThat(NodeImages.of("ami-0123456789abcdef0", "1.22")).as("not a parameter's").isEmpty();
    assertThat(NodeImages.of(null, "1.22")).isEmpty();
  }
}
