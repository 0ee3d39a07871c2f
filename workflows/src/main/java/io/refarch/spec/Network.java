package io.refarch.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The cluster's network. GKE reads the subnetwork; EKS the VPC CIDR and NAT mode. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Network(
    /** GKE: the subnetwork created for the cluster (the seed's gitpod-${CLUSTER_NAME}). */
    String subnetwork,
    /** EKS: the CIDR of the dedicated VPC (eksctl's default 192.168.0.0/16). */
    String vpcCidr,
    /** EKS: NAT gateway mode, Single or HighlyAvailable (as eksctl's vpc.nat.gateway). */
    String nat,
    /** Whether NetworkPolicy is enforced (GKE's Calico, EKS's Calico, AKS's calico policy). */
    Boolean networkPolicy,
    /** EKS: private endpoint access. */
    Boolean privateAccess,
    /** EKS: public endpoint access. */
    Boolean publicAccess,
    /**
     * EKS: the addresses the public endpoint accepts (eksctl's vpc.publicAccessCIDRs); all by
     * default.
     */
    List<String> publicAccessCidrs) {}
