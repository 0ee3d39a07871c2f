package io.refarch.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.sandbox.aws.quotas.AwsQuotas;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AccountAttribute;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.ClusterVersionInformation;
import software.amazon.awssdk.services.eks.model.InvalidParameterException;
import software.amazon.awssdk.services.eks.model.VersionStatus;

/**
 * What {@code refarch preflight} reads of AWS, through the real SDK clients (Service Quotas, whose
 * SDK module is not at refarch's SDK version, as a SigV4-signed JSON 1.1 request).
 */
class AwsPreflightReadsTest {

  @TempDir Path state;
  Sandbox sandbox;

  Sandbox start(SandboxOptions options) throws Exception {
    sandbox = Sandbox.start(options);
    return sandbox;
  }

  @AfterEach
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void eksOffersTheVersionsItsCreateClusterAccepts() throws Exception {
    start(SandboxOptions.defaults(state));
    try (EksClient eks = AwsClients.eks(sandbox)) {
      List<ClusterVersionInformation> all = eks.describeClusterVersions(r -> {}).clusterVersions();
      assertThat(all)
          .extracting(ClusterVersionInformation::clusterVersion)
          .contains("1.22", "1.33");
      assertThat(all.stream().filter(v -> Boolean.TRUE.equals(v.defaultVersion())))
          .extracting(ClusterVersionInformation::clusterVersion)
          .containsExactly("1.33");

      List<ClusterVersionInformation> some =
          eks.describeClusterVersions(r -> r.clusterVersions("1.22", "1.21")).clusterVersions();
      assertThat(some)
          .extracting(ClusterVersionInformation::clusterVersion)
          .containsExactly("1.22");
      assertThat(some.get(0).versionStatus()).isEqualTo(VersionStatus.EXTENDED_SUPPORT);

      // 1.21 is not offered, and CreateCluster refuses it as EKS does.
      InvalidParameterException refused =
          catchThrowableOfType(
              InvalidParameterException.class,
              () -> eks.createCluster(r -> r.name("old").version("1.21").roleArn("x")));
      assertThat(refused.awsErrorDetails().errorMessage())
          .isEqualTo("unsupported Kubernetes version 1.21");
    }
  }

  @Test
  void ec2AnswersTheAccountsElasticIpLimitInstanceTypesAndNoInstances() throws Exception {
    start(SandboxOptions.defaults(state).withAwsQuota(AwsQuotas.ELASTIC_IPS, 2));
    try (Ec2Client ec2 = AwsClients.ec2(sandbox)) {
      assertThat(ec2.describeAccountAttributes(r -> {}).accountAttributes())
          .extracting(AccountAttribute::attributeName)
          .contains("supported-platforms", "vpc-max-elastic-ips");
      AccountAttribute eips =
          ec2.describeAccountAttributes(r -> r.attributeNamesWithStrings("vpc-max-elastic-ips"))
              .accountAttributes()
              .get(0);
      assertThat(eips.attributeName()).isEqualTo("vpc-max-elastic-ips");
      assertThat(eips.attributeValues().get(0).attributeValue()).isEqualTo("2");

      List<InstanceTypeInfo> types =
          ec2.describeInstanceTypes(
                  r -> r.instanceTypes(InstanceType.M6_I_XLARGE, InstanceType.M6_I_2_XLARGE))
              .instanceTypes();
      assertThat(types)
          .extracting(t -> t.instanceTypeAsString() + "=" + t.vCpuInfo().defaultVCpus())
          .containsExactlyInAnyOrder("m6i.xlarge=4", "m6i.2xlarge=8");
      assertThat(types.get(0).memoryInfo().sizeInMiB()).isPositive();

      Ec2Exception unknown =
          catchThrowableOfType(
              Ec2Exception.class,
              () -> ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings("m99.huge")));
      assertThat(unknown.awsErrorDetails().errorCode()).isEqualTo("InvalidInstanceType");

      // The sandbox runs no EC2 instances: node groups' nodes exist only in EKS's emulation.
      assertThat(
              ec2.describeInstances(
                      r ->
                          r.filters(
                              Filter.builder()
                                  .name("instance-state-name")
                                  .values("running")
                                  .build()))
                  .reservations())
          .isEmpty();
    }
  }

  @Test
  void serviceQuotasAnswersTheVcpuQuotaAsSetAndFaultsAsAwsWordsThem() throws Exception {
    start(
        SandboxOptions.defaults(state)
            .withAwsQuota(AwsQuotas.STANDARD_VCPUS, 8)
            .withFaults(List.of(Sandbox.parseFault("GetServiceQuota:L-0263D0A3=AccessDenied"))));
    HttpResponse<String> vcpus = getServiceQuota("ec2", "L-1216C47A");
    assertThat(vcpus.statusCode()).isEqualTo(200);
    JsonNode quota = new ObjectMapper().readTree(vcpus.body()).path("Quota");
    assertThat(quota.path("Value").asDouble()).isEqualTo(8.0);
    assertThat(quota.path("QuotaName").asText()).startsWith("Running On-Demand Standard");

    HttpResponse<String> unknown = getServiceQuota("ec2", "L-00000000");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("NoSuchResourceException");

    HttpResponse<String> denied = getServiceQuota("ec2", "L-0263D0A3");
    assertThat(denied.headers().firstValue("x-amzn-ErrorType")).hasValue("AccessDeniedException");
  }

  /** GetServiceQuota over JSON 1.1, signed with the SDK's SigV4 signer for "servicequotas". */
  private HttpResponse<String> getServiceQuota(String service, String code) throws Exception {
    URI endpoint = URI.create(sandbox.endpoints().aws());
    byte[] body =
        ("{\"ServiceCode\":\"" + service + "\",\"QuotaCode\":\"" + code + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    SdkHttpFullRequest request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint)
            .encodedPath("/")
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .putHeader("X-Amz-Target", "ServiceQuotasV20190624.GetServiceQuota")
            .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsBasicCredentials.create(AwsClients.ACCESS_KEY, "secret"))
                        .request(request)
                        .payload(() -> new ByteArrayInputStream(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "servicequotas")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, AwsClients.REGION.id()));
    HttpRequest.Builder http =
        HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signed
        .request()
        .headers()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(v -> http.header(name, v));
              }
            });
    return HttpClient.newHttpClient().send(http.build(), HttpResponse.BodyHandlers.ofString());
  }
}
