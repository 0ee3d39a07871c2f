package io.refarch.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** EKS options: the parts of the seed's eksctl ClusterConfig that are not node groups. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AwsOptions(
    /** The AWS account id (12 digits). */
    String account,
    /** Tags on every resource (eksctl's metadata.tags). */
    Map<String, String> tags,
    /** Create the cluster's IAM OIDC provider (eksctl's iam.withOIDC). */
    Boolean withOIDC,
    /** IRSA service accounts (eksctl's iam.serviceAccounts). */
    List<IrsaServiceAccount> serviceAccounts,
    /** Node image family (Ubuntu2004 in the seed). */
    String amiFamily,
    /** Policies attached to the node role. */
    List<String> nodePolicies,
    /** Control-plane log types (eksctl's cloudWatch.clusterLogging.enableTypes). */
    List<String> clusterLogging,
    /** Calico: the tigera-operator manifest, a URL pinned with its sha256, or a local file. */
    Calico calico) {

  /** One IRSA service account with an eksctl well-known policy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IrsaServiceAccount(String name, String namespace, String wellKnownPolicy) {}

  /** Where the tigera-operator manifest comes from. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Calico(String operatorManifest, String operatorManifestSha256) {}
}
