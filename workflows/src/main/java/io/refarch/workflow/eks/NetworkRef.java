package io.refarch.workflow.eks;

import java.util.List;

/** The VPC made for an EKS cluster. */
public record NetworkRef(
    String vpcId,
    List<String> publicSubnetIds,
    List<String> privateSubnetIds,
    String securityGroupId) {}
