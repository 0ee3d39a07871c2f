package io.refarch.activities.eks.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refarch.activities.eks.AwsConnection;
import io.refarch.activities.eks.preflight.AwsReads.QuotaValues;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Service Quotas' GetServiceQuota over its JSON 1.1 API, signed with the SDK's own SigV4 signer:
 * the SDK's {@code servicequotas} module is not available at refarch's SDK version, and versions
 * are not mixed. Errors come back as the SDK's exceptions (AWS's error code, status and message),
 * so {@code AwsErrors} reads them as it reads every other AWS error.
 */
public final class ServiceQuotasApi implements QuotaValues {

  static final String TARGET = "ServiceQuotasV20190624.GetServiceQuota";
  static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  static final String SIGNING_NAME = "servicequotas";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AwsConnection connection;
  private final String region;
  private final URI endpoint;
  private final HttpClient http;

  public ServiceQuotasApi(AwsConnection connection, String region) {
    this.connection = connection;
    this.region = region;
    this.endpoint =
        connection
            .endpoint()
            .orElseGet(
                () ->
                    URI.create(
                        "https://servicequotas."
                            + region
                            + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com")));
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @Override
  public double value(String serviceCode, String quotaCode) {
    byte[] body =
        JSON.createObjectNode()
            .put("ServiceCode", serviceCode)
            .put("QuotaCode", quotaCode)
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    SdkHttpFullRequest request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint)
            .encodedPath(
                endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
                    ? "/"
                    : endpoint.getRawPath())
            .putHeader("Content-Type", CONTENT_TYPE)
            .putHeader("X-Amz-Target", TARGET)
            .build();
    // Without credentials this throws the SDK's own SdkClientException, which AwsErrors words.
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(connection.credentials().resolveCredentials())
                        .request(request)
                        .payload(() -> new ByteArrayInputStream(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(signed.request().getUri())
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    // java.net.http sets Host and Content-Length itself, and refuses them as headers.
    signed
        .request()
        .headers()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(v -> builder.header(name, v));
              }
            });
    HttpResponse<String> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw SdkClientException.create("Service Quotas at " + endpoint + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SdkClientException.create("interrupted calling Service Quotas", e);
    }
    JsonNode answer = parse(response.body());
    if (response.statusCode() / 100 != 2) {
      throw error(response, answer);
    }
    JsonNode value = answer.path("Quota").path("Value");
    if (!value.isNumber()) {
      throw SdkClientException.create(
          "Service Quotas answered no Quota.Value for " + serviceCode + "/" + quotaCode);
    }
    return value.asDouble();
  }

  /**
   * JSON 1.1's error: the code in {@code x-amzn-ErrorType} or the body's {@code __type} (after any
   * '#' and before any ':'), the message in {@code message} or {@code Message}.
   */
  private static AwsServiceException error(HttpResponse<String> response, JsonNode body) {
    String code =
        response.headers().firstValue("x-amzn-ErrorType").orElse(body.path("__type").asText(""));
    code = code.substring(code.indexOf('#') + 1);
    if (code.contains(":")) {
      code = code.substring(0, code.indexOf(':'));
    }
    if (code.isEmpty()) {
      code = "HTTP" + response.statusCode();
    }
    String message = body.path("message").asText(body.path("Message").asText(""));
    return AwsServiceException.builder()
        .statusCode(response.statusCode())
        .message(code + ": " + message)
        .awsErrorDetails(
            AwsErrorDetails.builder()
                .errorCode(code)
                .errorMessage(message)
                .serviceName("ServiceQuotas")
                .build())
        .build();
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
