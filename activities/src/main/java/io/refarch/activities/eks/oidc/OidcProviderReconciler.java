package io.refarch.activities.eks.oidc;

import io.refarch.activities.Caller;
import io.refarch.activities.Failures;
import io.refarch.activities.eks.AwsErrors;
import io.refarch.activities.eks.Ownership;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.FailureTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.OpenIDConnectProviderListEntry;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The cluster's IAM OIDC identity provider (eksctl's {@code iam.withOIDC}): it lets IAM trust the
 * tokens the cluster issues to service accounts, which is what IRSA roles are assumed with. Found
 * by the issuer's host and path, which IAM puts in the provider's ARN.
 */
public final class OidcProviderReconciler {
  /** The audience of the tokens pods exchange with STS. */
  static final String AUDIENCE = "sts.amazonaws.com";

  /**
   * The SHA-1 of the root CA behind {@code oidc.eks.*.amazonaws.com}, as eksctl computes it. IAM no
   * longer checks it for EKS issuers (it trusts its own root CAs there) but older APIs require one.
   */
  static final String ROOT_CA_THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";

  private final IamClient iam;

  public OidcProviderReconciler(IamClient iam) {
    this.iam = iam;
  }

  /** Creates or adopts the provider for {@code issuerUrl}; returns its ARN. */
  public String ensure(String issuerUrl, String cluster, Map<String, String> tags) {
    String doing = "creating the IAM OIDC provider of cluster " + cluster;
    try {
      Optional<String> existing = find(issuerUrl);
      if (existing.isPresent()) {
        // One provider per issuer, whoever made it: IRSA works through it, so it is adopted as it
        // is; a delete later removes it only if refarch made it for this cluster.
        return existing.get();
      }
      return iam.createOpenIDConnectProvider(
              r ->
                  r.url(issuerUrl)
                      .clientIDList(AUDIENCE)
                      .thumbprintList(ROOT_CA_THUMBPRINT)
                      .tags(
                          tags.entrySet().stream()
                              .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                              .toList()))
          .openIDConnectProviderArn();
    } catch (SdkException e) {
      if (AwsErrors.isAlreadyExists(e)) {
        return find(issuerUrl).orElseThrow(() -> AwsErrors.translate(doing, e));
      }
      throw AwsErrors.translate(doing, e);
    }
  }

  /** The ARN of the provider of {@code issuerUrl}, failing as not ready while there is none. */
  public String require(String issuerUrl, String cluster) {
    try {
      return find(issuerUrl)
          .orElseThrow(
              () ->
                  Failures.permanent(
                      FailureTypes.FAILED_PRECONDITION,
                      "cluster "
                          + cluster
                          + " has no IAM OIDC provider for "
                          + issuerUrl
                          + " (aws.withOIDC must be true for IRSA service accounts)"));
    } catch (SdkException e) {
      throw AwsErrors.translate("reading the IAM OIDC providers", e);
    }
  }

  /** Deletes the providers tagged for {@code cluster} that the caller may delete. */
  public Deletion delete(String cluster, Caller caller) {
    String doing = "deleting the IAM OIDC provider of cluster " + cluster;
    try {
      List<String> kept = new ArrayList<>();
      for (OpenIDConnectProviderListEntry p :
          iam.listOpenIDConnectProviders().openIDConnectProviderList()) {
        Map<String, String> tags = tags(p.arn());
        if (!Ownership.madeFor(tags, cluster)) {
          continue;
        }
        Optional<String> keep = Ownership.keepReason(tags, cluster, caller);
        if (keep.isPresent()) {
          kept.add(p.arn() + ": " + keep.get());
          continue;
        }
        try {
          iam.deleteOpenIDConnectProvider(r -> r.openIDConnectProviderArn(p.arn()));
        } catch (SdkException e) {
          if (!AwsErrors.isNotFound(e)) {
            throw e;
          }
        }
      }
      return kept.isEmpty() ? Deletion.DELETED : Deletion.kept(String.join("; ", kept));
    } catch (SdkException e) {
      throw AwsErrors.translate(doing, e);
    }
  }

  /** The issuer URL without its scheme: what IAM keys providers and trust conditions by. */
  public static String hostPath(String issuerUrl) {
    return issuerUrl.replaceFirst("^https://", "");
  }

  private Optional<String> find(String issuerUrl) {
    String suffix = ":oidc-provider/" + hostPath(issuerUrl);
    return iam.listOpenIDConnectProviders().openIDConnectProviderList().stream()
        .map(OpenIDConnectProviderListEntry::arn)
        .filter(arn -> arn.endsWith(suffix))
        .findFirst();
  }

  private Map<String, String> tags(String arn) {
    Map<String, String> tags = new LinkedHashMap<>();
    iam.listOpenIDConnectProviderTags(r -> r.openIDConnectProviderArn(arn))
        .tags()
        .forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }
}
