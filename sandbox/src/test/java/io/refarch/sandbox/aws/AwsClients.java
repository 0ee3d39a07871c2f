package io.refarch.sandbox.aws;

import io.refarch.sandbox.Sandbox;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/** The real AWS SDK v2 clients, pointed at a sandbox by endpointOverride, with static keys. */
public final class AwsClients {

  public static final Region REGION = Region.US_EAST_1;
  public static final String ACCESS_KEY = "AKIASANDBOXTEST";

  private AwsClients() {}

  /** The SDK's standard retries (three attempts), without waiting long between them. */
  static <B extends AwsClientBuilder<B, C>, C> C build(Sandbox sandbox, B builder, int attempts) {
    StandardRetryStrategy retries =
        StandardRetryStrategy.builder()
            .maxAttempts(attempts)
            .backoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(5)))
            .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(5)))
            .circuitBreakerEnabled(false)
            .build();
    builder
        .endpointOverride(URI.create(sandbox.endpoints().aws()))
        .region(REGION)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, "secret")))
        .overrideConfiguration(o -> o.retryStrategy(retries));
    if (builder
        instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
      sync.httpClient(UrlConnectionHttpClient.create());
    }
    return builder.build();
  }

  public static Ec2Client ec2(Sandbox sandbox) {
    return build(sandbox, Ec2Client.builder(), 3);
  }

  public static IamClient iam(Sandbox sandbox) {
    // IAM is global: the SDK signs it for us-east-1 under "aws-global".
    return build(sandbox, IamClient.builder(), 3);
  }

  public static StsClient sts(Sandbox sandbox) {
    return build(sandbox, StsClient.builder(), 3);
  }

  public static EksClient eks(Sandbox sandbox, int attempts) {
    return build(sandbox, EksClient.builder(), attempts);
  }

  public static EksClient eks(Sandbox sandbox) {
    return eks(sandbox, 3);
  }

  public static SsmClient ssm(Sandbox sandbox) {
    return build(sandbox, SsmClient.builder(), 3);
  }

  public static AutoScalingClient autoScaling(Sandbox sandbox) {
    return build(sandbox, AutoScalingClient.builder(), 3);
  }

  /** The SDK's waiters poll every few seconds or more; here every 20 ms, up to a minute. */
  public static WaiterOverrideConfiguration quickWaiter() {
    return WaiterOverrideConfiguration.builder()
        .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(20)))
        .maxAttempts(3000)
        .waitTimeout(Duration.ofMinutes(1))
        .build();
  }

  /** An EKS cluster's prerequisites: a role EKS may assume, and two subnets in two zones. */
  public record ClusterNetwork(String roleArn, List<String> subnets) {}

  /** Role {@code gitpod} trusted by EKS, a VPC 10.0.0.0/16 and a subnet in us-east-1a and -1b. */
  public static ClusterNetwork clusterNetwork(IamClient iam, Ec2Client ec2) {
    String trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
            + "{\"Service\":\"eks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    String role =
        iam.createRole(r -> r.roleName("gitpod").assumeRolePolicyDocument(trust)).role().arn();
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    List<String> subnets = new java.util.ArrayList<>();
    for (String[] zone :
        new String[][] {{"10.0.0.0/20", "us-east-1a"}, {"10.0.16.0/20", "us-east-1b"}}) {
      subnets.add(
          ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(zone[0]).availabilityZone(zone[1]))
              .subnet()
              .subnetId());
    }
    return new ClusterNetwork(role, List.copyOf(subnets));
  }
}
