package io.refarch.activities.eks.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PolicyDocumentsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/ABC123";
  private static final String PROVIDER = "arn:aws:iam::123456789012:oidc-provider/" + ISSUER;

  @Test
  void irsaTrustAdmitsExactlyOneServiceAccountThroughTheClustersProvider() throws Exception {
    JsonNode doc =
        JSON.readTree(
            PolicyDocuments.trustServiceAccount(
                PROVIDER, ISSUER, "kube-system", "cluster-autoscaler"));
    assertThat(doc.path("Statement")).hasSize(1);
    JsonNode s = doc.path("Statement").get(0);
    assertThat(s.path("Effect").asText()).isEqualTo("Allow");
    assertThat(s.path("Action").asText()).isEqualTo("sts:AssumeRoleWithWebIdentity");
    assertThat(s.path("Principal").path("Federated").asText()).isEqualTo(PROVIDER);
    JsonNode equals = s.path("Condition").path("StringEquals");
    assertThat(equals.size()).isEqualTo(2);
    assertThat(equals.path(ISSUER + ":sub").asText())
        .isEqualTo("system:serviceaccount:kube-system:cluster-autoscaler");
    assertThat(equals.path(ISSUER + ":aud").asText()).isEqualTo("sts.amazonaws.com");
    // No wildcard operator that would admit other accounts.
    assertThat(s.path("Condition").has("StringLike")).isFalse();
  }

  @Test
  void serviceTrustLetsOnlyThatServiceAssumeTheRole() throws Exception {
    JsonNode s =
        JSON.readTree(PolicyDocuments.trustService("eks.amazonaws.com")).path("Statement").get(0);
    assertThat(s.path("Principal").path("Service").asText()).isEqualTo("eks.amazonaws.com");
    assertThat(s.path("Action").asText()).isEqualTo("sts:AssumeRole");
  }

  @Test
  void documentsAsIamReturnsThemUrlEncodedCompareEqual() {
    String doc = PolicyDocuments.trustService("ec2.amazonaws.com");
    String encoded = URLEncoder.encode(doc, StandardCharsets.UTF_8);
    assertThat(PolicyDocuments.same(encoded, doc)).isTrue();
    assertThat(PolicyDocuments.same(doc, PolicyDocuments.trustService("eks.amazonaws.com")))
        .isFalse();
  }
}
