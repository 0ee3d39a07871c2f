package io.refarch.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** GKE options: the flags of the seed's {@code gcloud container clusters create}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GcpOptions(
    /** The GCP project id (the seed's PROJECT_NAME). */
    String project,
    /** Account id of the cluster's service account (the seed's GKE_SA, gitpod-gke). */
    String serviceAccount,
    /** Project roles granted to the service account. */
    List<String> serviceAccountRoles,
    /**
     * The account the added node pools run as: {@code default} (the project's Compute Engine
     * default account, as the seed's {@code node-pools create} has no --service-account), an
     * account id of the project, or a service account's email.
     */
    String nodePoolServiceAccount,
    /** Node image type of every pool (UBUNTU_CONTAINERD). */
    String imageType,
    /** OAuth scopes of the workspace and services pools. */
    List<String> scopes,
    /** Add-ons (HorizontalPodAutoscaling, NodeLocalDNS, NetworkPolicy). */
    List<String> addons,
    /** Node auto-upgrade; the seed turns it off. */
    Boolean autoUpgrade,
    /** Node auto-repair; the seed turns it on. */
    Boolean autoRepair,
    /** Node metadata; the seed sets disable-legacy-endpoints=true. */
    java.util.Map<String, String> metadata,
    /** The default pool GKE insists on creating, deleted right after (e2-standard-2, 0..1). */
    NodePool defaultPool,
    /**
     * Create the cluster with its node pools in the one {@code clusters.create} (false: the seed's
     * order, a default pool created, deleted, then each pool created in turn). The same cluster in
     * one operation instead of 2 + one per pool; {@code defaultPool} is then not used.
     */
    Boolean poolsWithCluster) {

  /** GKE's name for the project's Compute Engine default account. */
  public static final String COMPUTE_DEFAULT_ACCOUNT = "default";

  /** Whether the node pools are created with the cluster (absent, as in older runs: no). */
  public static boolean poolsWithCluster(GcpOptions gcp) {
    return gcp != null && Boolean.TRUE.equals(gcp.poolsWithCluster());
  }

  /** These options with {@code poolsWithCluster} set as given. */
  public GcpOptions withPoolsWithCluster(Boolean value) {
    return new GcpOptions(
        project,
        serviceAccount,
        serviceAccountRoles,
        nodePoolServiceAccount,
        imageType,
        scopes,
        addons,
        autoUpgrade,
        autoRepair,
        metadata,
        defaultPool,
        value);
  }

  /** The email of a service account id of {@code project}. */
  public static String email(String project, String accountId) {
    return accountId + "@" + project + ".iam.gserviceaccount.com";
  }

  /**
   * The email the added node pools run as, or null for the Compute Engine default account (GKE's
   * {@code default}, which a pool gets when its request names none).
   */
  public static String nodePoolEmail(GcpOptions gcp) {
    String account = gcp.nodePoolServiceAccount();
    if (account == null || account.equals(COMPUTE_DEFAULT_ACCOUNT)) {
      return null;
    }
    return account.contains("@") ? account : email(gcp.project(), account);
  }

  /** Who the added node pools run as, for people: an email, or the Compute Engine default. */
  public static String describeNodePoolAccount(GcpOptions gcp) {
    String email = nodePoolEmail(gcp);
    return email != null ? email : "the project's Compute Engine default account";
  }
}
