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
    NodePool defaultPool) {}
