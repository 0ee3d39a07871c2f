package io.refarch.activities.eks.nodegroup;

import io.refarch.activities.Failures;
import io.refarch.activities.eks.AwsErrors;
import io.refarch.workflow.FailureTypes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The AMI an image family publishes for a Kubernetes version, from the public SSM parameters eksctl
 * reads: Canonical's for Ubuntu, Amazon's for Amazon Linux.
 */
public final class SsmNodeImages implements NodeImages {
  private final SsmClient ssm;

  public SsmNodeImages(SsmClient ssm) {
    this.ssm = ssm;
  }

  /** The SSM parameter that holds the current AMI id. */
  public static String parameter(String amiFamily, String version, String architecture) {
    String ubuntuArch = architecture.equals("arm64") ? "arm64" : "amd64";
    return switch (amiFamily) {
      case "Ubuntu2004" ->
          "/aws/service/canonical/ubuntu/eks/20.04/"
              + version
              + "/stable/current/"
              + ubuntuArch
              + "/hvm/ebs-gp2/ami-id";
      case "Ubuntu2204" ->
          "/aws/service/canonical/ubuntu/eks/22.04/"
              + version
              + "/stable/current/"
              + ubuntuArch
              + "/hvm/ebs-gp2/ami-id";
      case "AmazonLinux2023" ->
          "/aws/service/eks/optimized-ami/"
              + version
              + "/amazon-linux-2023/"
              + architecture
              + "/standard/recommended/image_id";
      case "AmazonLinux2" ->
          "/aws/service/eks/optimized-ami/"
              + version
              + (architecture.equals("arm64") ? "/amazon-linux-2-arm64" : "/amazon-linux-2")
              + "/recommended/image_id";
      default ->
          throw Failures.permanent(
              FailureTypes.INVALID_ARGUMENT,
              "aws.amiFamily "
                  + amiFamily
                  + " is not supported by refarch's node groups yet"
                  + " (Ubuntu2004, Ubuntu2204, AmazonLinux2023, AmazonLinux2 are)");
    };
  }

  @Override
  public String imageId(String amiFamily, String kubernetesVersion, String architecture) {
    String name = parameter(amiFamily, kubernetesVersion, architecture);
    try {
      return ssm.getParameter(r -> r.name(name)).parameter().value();
    } catch (SdkException e) {
      if (e instanceof software.amazon.awssdk.services.ssm.model.ParameterNotFoundException) {
        throw Failures.permanent(
            FailureTypes.INVALID_ARGUMENT,
            "no "
                + amiFamily
                + " image for Kubernetes "
                + kubernetesVersion
                + " ("
                + architecture
                + ") in this region: SSM parameter "
                + name
                + " does not exist");
      }
      throw AwsErrors.translate("reading SSM parameter " + name, e);
    }
  }
}
