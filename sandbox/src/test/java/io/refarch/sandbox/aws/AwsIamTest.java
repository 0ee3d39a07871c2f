package io.refarch.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** IAM roles, policies and OIDC providers, and STS, through the real clients over Query/XML. */
class AwsIamTest {

  static final String TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "{\"Service\":\"eks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
  static final String CLUSTER_POLICY = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy";

  @TempDir Path state;
  Sandbox sandbox;
  IamClient iam;

  @BeforeEach
  void start() throws Exception {
    sandbox = Sandbox.start(SandboxOptions.defaults(state));
    iam = AwsClients.iam(sandbox);
  }

  @AfterEach
  void stop() {
    iam.close();
    sandbox.close();
  }

  @Test
  void roleWithTrustPolicyTagsAndPolicies() {
    Role created =
        iam.createRole(
                r ->
                    r.roleName("gitpod-cluster")
                        .assumeRolePolicyDocument(TRUST)
                        .tags(Tag.builder().key("project").value("gitpod").build()))
            .role();
    assertThat(created.arn()).isEqualTo("arn:aws:iam::000000000000:role/gitpod-cluster");
    assertThat(created.roleId()).startsWith("AROA");
    assertThat(created.createDate()).isNotNull();

    Role got = iam.getRole(r -> r.roleName("gitpod-cluster")).role();
    // IAM answers policy documents URL-encoded; callers decode them.
    assertThat(URLDecoder.decode(got.assumeRolePolicyDocument(), StandardCharsets.UTF_8))
        .isEqualTo(TRUST);
    assertThat(got.tags()).containsExactly(Tag.builder().key("project").value("gitpod").build());
    iam.tagRole(
        r -> r.roleName("gitpod-cluster").tags(Tag.builder().key("owner").value("me").build()));
    assertThat(iam.getRole(r -> r.roleName("gitpod-cluster")).role().tags()).hasSize(2);
    assertThat(iam.listRoles().roles())
        .extracting(Role::roleName)
        .containsExactly("gitpod-cluster");

    assertThatThrownBy(
            () -> iam.createRole(r -> r.roleName("gitpod-cluster").assumeRolePolicyDocument(TRUST)))
        .isInstanceOfSatisfying(
            EntityAlreadyExistsException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(409);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("EntityAlreadyExists");
            });

    iam.attachRolePolicy(r -> r.roleName("gitpod-cluster").policyArn(CLUSTER_POLICY));
    iam.putRolePolicy(
        r ->
            r.roleName("gitpod-cluster")
                .policyName("cloudwatch")
                .policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":"
                        + "\"logs:CreateLogGroup\",\"Resource\":\"*\"}]}"));
    assertThat(iam.listAttachedRolePolicies(r -> r.roleName("gitpod-cluster")).attachedPolicies())
        .extracting(AttachedPolicy::policyArn, AttachedPolicy::policyName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(CLUSTER_POLICY, "AmazonEKSClusterPolicy"));
    assertThat(iam.listRolePolicies(r -> r.roleName("gitpod-cluster")).policyNames())
        .containsExactly("cloudwatch");

    assertThatThrownBy(() -> iam.deleteRole(r -> r.roleName("gitpod-cluster")))
        .isInstanceOfSatisfying(
            DeleteConflictException.class,
            e -> assertThat(e.getMessage()).contains("must detach all policies first"));
    iam.detachRolePolicy(r -> r.roleName("gitpod-cluster").policyArn(CLUSTER_POLICY));
    assertThatThrownBy(() -> iam.deleteRole(r -> r.roleName("gitpod-cluster")))
        .isInstanceOf(DeleteConflictException.class);
    iam.deleteRolePolicy(r -> r.roleName("gitpod-cluster").policyName("cloudwatch"));
    iam.deleteRole(r -> r.roleName("gitpod-cluster"));

    assertThatThrownBy(() -> iam.getRole(r -> r.roleName("gitpod-cluster")))
        .isInstanceOfSatisfying(
            NoSuchEntityException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(404);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("The role with name gitpod-cluster cannot be found.");
            });
  }

  @Test
  void openIdConnectProviders() {
    String issuer = "https://oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789";
    String arn =
        iam.createOpenIDConnectProvider(
                r ->
                    r.url(issuer)
                        .clientIDList("sts.amazonaws.com")
                        .thumbprintList("9e99a48a9960b14926bb7f3b02e22da2b0ab7280"))
            .openIDConnectProviderArn();
    assertThat(arn)
        .isEqualTo(
            "arn:aws:iam::000000000000:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789");
    var provider = iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(arn));
    assertThat(provider.url()).isEqualTo("oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789");
    assertThat(provider.clientIDList()).containsExactly("sts.amazonaws.com");
    assertThat(iam.listOpenIDConnectProviders().openIDConnectProviderList())
        .extracting(p -> p.arn())
        .containsExactly(arn);
    assertThat(sandbox.inventory()).contains("iam oidc-provider " + arn);
    iam.deleteOpenIDConnectProvider(r -> r.openIDConnectProviderArn(arn));
    assertThatThrownBy(() -> iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(arn)))
        .isInstanceOf(NoSuchEntityException.class);
  }

  /**
   * What an EKS token carries: a presigned GET of GetCallerIdentity (aws-iam-authenticator's and
   * {@code aws eks get-token}'s), signed for the query string with the cluster's name in the signed
   * {@code x-k8s-aws-id} header. The sandbox routes it by the URL's X-Amz-Credential scope.
   */
  @Test
  void presignedCallerIdentityAsEksTokensCarryIt() throws Exception {
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.GET)
            .uri(
                URI.create(
                    sandbox.endpoints().aws() + "/?Action=GetCallerIdentity&Version=2011-06-15"))
            .putHeader("x-k8s-aws-id", "gitpod")
            .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(AwsClients.ACCESS_KEY, "secret"))
                        .request(unsigned)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(
                            AwsV4HttpSigner.AUTH_LOCATION,
                            AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofSeconds(60)));
    URI presigned = signed.request().getUri();
    assertThat(presigned.getQuery()).contains("X-Amz-Credential=").contains("x-k8s-aws-id");
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(presigned).header("x-k8s-aws-id", "gitpod").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body())
        .contains("<GetCallerIdentityResult>")
        .contains("<Account>000000000000</Account>")
        .contains("<Arn>arn:aws:iam::000000000000:user/" + AwsClients.ACCESS_KEY + "</Arn>");
  }

  @Test
  void callerIdentityNamesTheAccountAndTheKey() {
    try (StsClient sts = AwsClients.sts(sandbox)) {
      GetCallerIdentityResponse me = sts.getCallerIdentity();
      assertThat(me.account()).isEqualTo("000000000000");
      assertThat(me.arn()).isEqualTo("arn:aws:iam::000000000000:user/" + AwsClients.ACCESS_KEY);
      assertThat(me.userId()).isEqualTo(AwsClients.ACCESS_KEY);
    }
  }
}
