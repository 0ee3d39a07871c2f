package io.refarch.sandbox.aws.ssm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.aws.core.AwsError;
import io.refarch.sandbox.aws.core.AwsProtocol;
import io.refarch.sandbox.aws.core.AwsRequest;
import io.refarch.sandbox.aws.core.AwsService;
import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SSM Parameter Store's public parameters that name the AMIs of EKS nodes, over JSON 1.1 ({@code
 * X-Amz-Target: AmazonSSM.GetParameter}): Canonical's Ubuntu EKS images and Amazon Linux's
 * EKS-optimized ones, per Kubernetes version. Each path answers the same made-up AMI id every time
 * (derived from the path), as a real parameter answers one id until a new image is published.
 */
public final class Ssm implements AwsService {

  public static final Set<String> ACTIONS = Set.of("GetParameter");

  /** The AMI parameters answered; the group is the Kubernetes version. */
  private static final List<Pattern> AMI_PARAMETERS =
      List.of(
          Pattern.compile(
              "/aws/service/canonical/ubuntu/eks/(?:20\\.04|22\\.04|24\\.04)/(\\d+\\.\\d+)/stable/current/(?:amd64|arm64)/hvm/ebs-gp[23]/ami-id"),
          Pattern.compile(
              "/aws/service/eks/optimized-ami/(\\d+\\.\\d+)/amazon-linux-2023/(?:x86_64|arm64)/(?:standard|nvidia|neuron)/recommended/image_id"),
          Pattern.compile(
              "/aws/service/eks/optimized-ami/(\\d+\\.\\d+)/amazon-linux-2(?:-arm64|-gpu)?/recommended/image_id"));

  private final Faults faults;

  public Ssm(Faults faults) {
    this.faults = faults;
  }

  @Override
  public String signingName() {
    return "ssm";
  }

  @Override
  public AwsProtocol protocol() {
    return AwsProtocol.JSON;
  }

  @Override
  public String handle(AwsRequest request) {
    String target = request.header("X-Amz-Target");
    String action = target == null ? "" : target.substring(target.indexOf('.') + 1);
    if (!ACTIONS.contains(action)) {
      throw new AwsError(
          400,
          "UnknownOperationException",
          "The sandbox does not emulate SSM operation "
              + (target == null ? "(none)" : target)
              + ".");
    }
    String name = request.json().path("Name").asText("");
    faults.check(action, name);
    if (AMI_PARAMETERS.stream().noneMatch(p -> p.matcher(name).matches())) {
      // SSM's ParameterNotFound carries no message.
      throw new AwsError(400, "ParameterNotFound", "");
    }
    ObjectNode parameter = Json.object();
    parameter.put("Name", name);
    parameter.put("Type", "String");
    parameter.put("Value", amiId(name));
    parameter.put("Version", 1);
    parameter.put("LastModifiedDate", 1.7e9);
    parameter.put("ARN", "arn:aws:ssm:" + request.region() + "::parameter" + name);
    parameter.put("DataType", "text");
    ObjectNode answer = Json.object();
    answer.set("Parameter", parameter);
    return answer.toString();
  }

  /** An AMI id of the form AWS uses, the same for the same parameter. */
  public static String amiId(String parameter) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(parameter.getBytes(StandardCharsets.UTF_8));
      return "ami-" + HexFormat.of().formatHex(digest).substring(0, 17);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
