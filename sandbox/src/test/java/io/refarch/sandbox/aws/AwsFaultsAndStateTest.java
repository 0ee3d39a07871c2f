package io.refarch.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.sandbox.core.Fault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * AWS faults in each protocol's shape, the raw envelopes the SDK parses, and AWS state that
 * outlives the sandbox and shows in the inventory.
 */
class AwsFaultsAndStateTest {

  @TempDir Path state;

  static final String TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "{\"Service\":\"eks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

  Sandbox start(String... faults) throws Exception {
    return Sandbox.start(
        SandboxOptions.defaults(state)
            .withOperationDuration(Duration.ofMillis(50))
            .withFaults(List.of(faults).stream().map(Sandbox::parseFault).toList()));
  }

  @Test
  void faultsParseWithAwsOperationNames() {
    assertThat(Sandbox.parseFault("CreateNodegroup:workspaces=ResourceLimitExceeded"))
        .isEqualTo(new Fault("CreateNodegroup", "workspaces", "ResourceLimitExceeded", 0));
    assertThat(Sandbox.parseFault("DescribeCluster=ThrottlingExceptionx3"))
        .isEqualTo(new Fault("DescribeCluster", null, "ThrottlingException", 3));
    assertThatThrownBy(() -> Sandbox.parseFault("CreateNodeGroup=ThrottlingException"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown operation 'CreateNodeGroup'");
    assertThatThrownBy(() -> Sandbox.parseFault("CreateVpc=throttled"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AWS error code");
  }

  @Test
  void queryFaultsArriveInTheirOwnEnvelopes() throws Exception {
    try (Sandbox sandbox =
            start(
                "CreateRole:gitpod-nodes=LimitExceeded",
                "CreateVpc=RequestLimitExceededx2",
                "GetParameter=InternalServerError");
        IamClient iam = AwsClients.iam(sandbox);
        Ec2Client ec2 = AwsClients.ec2(sandbox);
        SsmClient ssm = AwsClients.ssm(sandbox)) {
      assertThatThrownBy(
              () -> iam.createRole(r -> r.roleName("gitpod-nodes").assumeRolePolicyDocument(TRUST)))
          .isInstanceOfSatisfying(
              IamException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("LimitExceeded");
                assertThat(e.statusCode()).isEqualTo(409);
              });
      // Only the named role is refused.
      iam.createRole(r -> r.roleName("gitpod-cluster").assumeRolePolicyDocument(TRUST));

      // EC2 throttles with 503 RequestLimitExceeded; the SDK's three attempts get through two.
      assertThat(ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId()).startsWith("vpc-");
      assertThat(
              sandbox.requests().stream()
                  .filter(r -> r.body().contains("Action=CreateVpc"))
                  .count())
          .isEqualTo(3);

      assertThatThrownBy(() -> ssm.getParameter(r -> r.name("/x")))
          .isInstanceOfSatisfying(
              SsmException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalServerError");
                assertThat(e.statusCode()).isEqualTo(500);
              });
    }
  }

  @Test
  void envelopesOnTheWire() throws Exception {
    try (Sandbox sandbox = start()) {
      HttpClient http = HttpClient.newHttpClient();
      String scope =
          "AWS4-HMAC-SHA256 Credential=AKIA/20261201/us-east-1/%s/aws4_request, SignedHeaders=host, Signature=0";
      HttpResponse<String> ec2 =
          http.send(
              HttpRequest.newBuilder(URI.create(sandbox.endpoints().aws() + "/"))
                  .header("Authorization", scope.formatted("ec2"))
                  .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "Action=DeleteVpc&Version=2016-11-15&VpcId=vpc-1"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ec2.statusCode()).isEqualTo(400);
      assertThat(ec2.body())
          .contains(
              "<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>The VPC ID 'vpc-1' does not exist</Message></Error></Errors><RequestID>");

      HttpResponse<String> iam =
          http.send(
              HttpRequest.newBuilder(URI.create(sandbox.endpoints().aws() + "/"))
                  .header("Authorization", scope.formatted("iam"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "Action=GetRole&Version=2010-05-08&RoleName=x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(iam.statusCode()).isEqualTo(404);
      assertThat(iam.body())
          .contains(
              "<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name x cannot be found.</Message></Error><RequestId>");

      HttpResponse<String> eks =
          http.send(
              HttpRequest.newBuilder(URI.create(sandbox.endpoints().aws() + "/clusters/x"))
                  .header("Authorization", scope.formatted("eks"))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(eks.statusCode()).isEqualTo(404);
      assertThat(eks.headers().firstValue("x-amzn-ErrorType"))
          .hasValue("ResourceNotFoundException");
      assertThat(eks.body()).isEqualTo("{\"message\":\"No cluster found for name: x.\"}");

      HttpResponse<String> unsigned =
          http.send(
              HttpRequest.newBuilder(URI.create(sandbox.endpoints().aws() + "/"))
                  .POST(HttpRequest.BodyPublishers.ofString("Action=GetCallerIdentity"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(unsigned.statusCode()).isEqualTo(400);
      assertThat(unsigned.body()).contains("<Code>UnknownService</Code>");
    }
  }

  @Test
  void awsStateOutlivesTheSandboxAndShowsInTheInventory() throws Exception {
    String vpc;
    try (Sandbox sandbox = start();
        IamClient iam = AwsClients.iam(sandbox);
        Ec2Client ec2 = AwsClients.ec2(sandbox)) {
      iam.createRole(r -> r.roleName("gitpod-cluster").assumeRolePolicyDocument(TRUST));
      iam.attachRolePolicy(
          r ->
              r.roleName("gitpod-cluster")
                  .policyArn("arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"));
      vpc =
          ec2.createVpc(
                  r ->
                      r.cidrBlock("10.0.0.0/16")
                          .tagSpecifications(
                              t ->
                                  t.resourceType("vpc")
                                      .tags(
                                          software.amazon.awssdk.services.ec2.model.Tag.builder()
                                              .key("Name")
                                              .value("gitpod")
                                              .build())))
              .vpc()
              .vpcId();
      assertThat(Sandbox.running(state))
          .hasValueSatisfying(e -> assertThat(e.aws()).isEqualTo(sandbox.endpoints().aws()));
    }
    assertThat(Sandbox.inventory(state))
        .contains(
            "ec2 us-east-1 vpc " + vpc + " 10.0.0.0/16 (gitpod)",
            "iam role gitpod-cluster",
            "iam role gitpod-cluster attached arn:aws:iam::aws:policy/AmazonEKSClusterPolicy");

    try (Sandbox again = start();
        Ec2Client ec2 = AwsClients.ec2(again);
        IamClient iam = AwsClients.iam(again);
        StsClient sts = AwsClients.sts(again)) {
      assertThat(ec2.describeVpcs(r -> r.vpcIds(vpc)).vpcs().get(0).cidrBlock())
          .isEqualTo("10.0.0.0/16");
      assertThat(iam.getRole(r -> r.roleName("gitpod-cluster")).role().arn())
          .isEqualTo("arn:aws:iam::000000000000:role/gitpod-cluster");
      assertThat(sts.getCallerIdentity().account()).isEqualTo("000000000000");
      // The main route table came back with its VPC: deleting the VPC still works.
      ec2.deleteVpc(r -> r.vpcId(vpc));
      assertThatThrownBy(() -> ec2.deleteVpc(r -> r.vpcId(vpc))).isInstanceOf(Ec2Exception.class);
    }
  }
}
