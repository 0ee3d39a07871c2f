package io.refarch.activities.eks;

import java.time.Duration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The SDK clients for one region, sharing one HTTP client. The SDK's own retries (throttling, 5xx)
 * stay on; what still fails after them reaches {@link AwsErrors} and Temporal's retry policy.
 */
public final class AwsClients implements AutoCloseable {
  public final Region region;
  public final Ec2Client ec2;
  public final IamClient iam;
  public final EksClient eks;
  public final SsmClient ssm;
  public final AutoScalingClient autoScaling;
  public final StsClient sts;
  private final SdkHttpClient http;

  private AwsClients(AwsConnection connection, Region region) {
    this.region = region;
    this.http =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60))
            .build();
    ClientOverrideConfiguration override =
        ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofMinutes(2)).build();
    // IAM is global, one endpoint per partition; an emulator takes any region.
    Region iamRegion =
        connection.endpoint().isPresent()
            ? region
            : region.id().startsWith("cn-")
                ? Region.AWS_CN_GLOBAL
                : region.id().startsWith("us-gov-") ? Region.AWS_US_GOV_GLOBAL : Region.AWS_GLOBAL;
    ec2 = configure(Ec2Client.builder(), connection, region, override).build();
    iam = configure(IamClient.builder(), connection, iamRegion, override).build();
    eks = configure(EksClient.builder(), connection, region, override).build();
    ssm = configure(SsmClient.builder(), connection, region, override).build();
    autoScaling = configure(AutoScalingClient.builder(), connection, region, override).build();
    sts = configure(StsClient.builder(), connection, region, override).build();
  }

  public static AwsClients connect(AwsConnection connection, String region) {
    return new AwsClients(connection, Region.of(region));
  }

  private <
          B extends
              software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>
                  & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, ?>>
      B configure(
          B builder, AwsConnection connection, Region region, ClientOverrideConfiguration o) {
    builder
        .region(region)
        .credentialsProvider(connection.credentials())
        .overrideConfiguration(o)
        .httpClient(http);
    connection.endpoint().ifPresent(builder::endpointOverride);
    return builder;
  }

  @Override
  public void close() {
    ec2.close();
    iam.close();
    eks.close();
    ssm.close();
    autoScaling.close();
    sts.close();
    http.close();
  }
}
