package io.refarch.activities.eks;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The bearer token EKS's API server accepts (what {@code aws eks get-token} prints): {@code
 * k8s-aws-v1.} and the base64url (no padding) of an STS GetCallerIdentity URL presigned for 60
 * seconds with the signed header {@code x-k8s-aws-id: CLUSTER}. The API server calls that URL and
 * learns who the worker is; the token never leaves the worker's memory.
 */
public final class EksToken {
  public static final String PREFIX = "k8s-aws-v1.";
  public static final String CLUSTER_HEADER = "x-k8s-aws-id";
  static final Duration PRESIGNED_FOR = Duration.ofSeconds(60);

  private EksToken() {}

  public static String create(
      AwsCredentialsIdentity credentials, String region, String cluster, Clock clock) {
    SdkHttpFullRequest request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.GET)
            .protocol("https")
            .host("sts." + region + ".amazonaws.com")
            .encodedPath("/")
            .putRawQueryParameter("Action", "GetCallerIdentity")
            .putRawQueryParameter("Version", "2011-06-15")
            .putHeader(CLUSTER_HEADER, cluster)
            .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(credentials)
                        .request(request)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, PRESIGNED_FOR)
                        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
    String url = signed.request().getUri().toString();
    return PREFIX
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(url.getBytes(StandardCharsets.UTF_8));
  }
}
