package io.refarch.activities.eks.irsa;

import static io.refarch.activities.eks.iam.PolicyDocuments.Statement.allow;

import io.refarch.activities.eks.iam.PolicyDocuments;
import io.refarch.activities.eks.iam.PolicyDocuments.Statement;
import java.util.List;
import java.util.Map;

/**
 * The inline policies eksctl's {@code iam.serviceAccounts[].wellKnownPolicies} give an IRSA role,
 * as its {@code pkg/cfn/builder} writes them (createWellKnownPolicies and statement.go), under the
 * same policy names. Written here as statements, one method per policy.
 */
public final class WellKnownPolicies {
  private static final String ALL = "*";
  private static final String CLUSTER_TAG = "elbv2.k8s.aws/cluster";

  /** One inline policy of a role: its name and document. */
  public record InlinePolicy(String name, String document) {}

  private WellKnownPolicies() {}

  /** The inline policies of {@code wellKnownPolicy} (e.g. awsLoadBalancerController). */
  public static List<InlinePolicy> of(String wellKnownPolicy, String partition) {
    return switch (wellKnownPolicy) {
      case "awsLoadBalancerController" ->
          List.of(policy("PolicyAWSLoadBalancerController", loadBalancerController(partition)));
      case "ebsCSIController" -> List.of(policy("PolicyEBSCSIController", ebs()));
      case "autoScaler" -> List.of(policy("PolicyAutoScaling", autoScaler()));
      case "certManager" ->
          List.of(
              policy("PolicyCertManagerChangeSet", changeSet(partition)),
              policy("PolicyCertManagerGetChange", certManagerGetChange(partition)),
              policy("PolicyCertManagerHostedZones", certManagerHostedZones()));
      case "externalDNS" ->
          List.of(
              policy("PolicyExternalDNSChangeSet", changeSet(partition)),
              policy(
                  "PolicyExternalDNSHostedZones",
                  List.of(
                      allow(
                          List.of(
                              "route53:ListHostedZones",
                              "route53:ListResourceRecordSets",
                              "route53:ListTagsForResource"),
                          ALL))));
      default ->
          throw new IllegalArgumentException(
              "well-known policy " + wellKnownPolicy + " is not supported by refarch yet");
    };
  }

  private static InlinePolicy policy(String name, List<Statement> statements) {
    return new InlinePolicy(name, PolicyDocuments.document(statements));
  }

  private static String arn(String partition, String rest) {
    return "arn:" + partition + ":" + rest;
  }

  static List<Statement> autoScaler() {
    return List.of(
        allow(
            List.of(
                "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:DescribeAutoScalingInstances",
                "autoscaling:DescribeLaunchConfigurations",
                "autoscaling:DescribeTags",
                "autoscaling:SetDesiredCapacity",
                "autoscaling:TerminateInstanceInAutoScalingGroup",
                "ec2:DescribeLaunchTemplateVersions"),
            ALL));
  }

  static List<Statement> ebs() {
    return List.of(
        allow(
            List.of(
                "ec2:AttachVolume",
                "ec2:CreateSnapshot",
                "ec2:CreateTags",
                "ec2:CreateVolume",
                "ec2:DeleteSnapshot",
                "ec2:DeleteTags",
                "ec2:DeleteVolume",
                "ec2:DescribeAvailabilityZones",
                "ec2:DescribeInstances",
                "ec2:DescribeSnapshots",
                "ec2:DescribeTags",
                "ec2:DescribeVolumes",
                "ec2:DescribeVolumesModifications",
                "ec2:DetachVolume",
                "ec2:ModifyVolume"),
            ALL));
  }

  static List<Statement> changeSet(String partition) {
    return List.of(
        allow(
            List.of("route53:ChangeResourceRecordSets"), arn(partition, "route53:::hostedzone/*")));
  }

  static List<Statement> certManagerGetChange(String partition) {
    return List.of(allow(List.of("route53:GetChange"), arn(partition, "route53:::change/*")));
  }

  static List<Statement> certManagerHostedZones() {
    return List.of(
        allow(List.of("route53:ListResourceRecordSets", "route53:ListHostedZonesByName"), ALL));
  }

  /**
   * The AWS Load Balancer Controller: tag and delete only what carries its {@code
   * elbv2.k8s.aws/cluster} tag, describe everything, manage listeners and rules.
   */
  static List<Statement> loadBalancerController(String partition) {
    String securityGroups = arn(partition, "ec2:*:*:security-group/*");
    return List.of(
        allow(List.of("ec2:CreateTags"), securityGroups)
            .when("StringEquals", Map.of("ec2:CreateAction", "CreateSecurityGroup"))
            .when("Null", Map.of("aws:RequestTag/" + CLUSTER_TAG, "false")),
        allow(List.of("ec2:CreateTags", "ec2:DeleteTags"), securityGroups)
            .when(
                "Null",
                Map.of(
                    "aws:RequestTag/" + CLUSTER_TAG, "true",
                    "aws:ResourceTag/" + CLUSTER_TAG, "false")),
        allow(
                List.of(
                    "elasticloadbalancing:CreateLoadBalancer",
                    "elasticloadbalancing:CreateTargetGroup"),
                ALL)
            .when("Null", Map.of("aws:RequestTag/" + CLUSTER_TAG, "false")),
        allow(
                List.of("elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"),
                arn(partition, "elasticloadbalancing:*:*:targetgroup/*/*"),
                arn(partition, "elasticloadbalancing:*:*:loadbalancer/net/*/*"),
                arn(partition, "elasticloadbalancing:*:*:loadbalancer/app/*/*"))
            .when(
                "Null",
                Map.of(
                    "aws:RequestTag/" + CLUSTER_TAG, "true",
                    "aws:ResourceTag/" + CLUSTER_TAG, "false")),
        allow(
            List.of("elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"),
            arn(partition, "elasticloadbalancing:*:*:listener/net/*/*/*"),
            arn(partition, "elasticloadbalancing:*:*:listener/app/*/*/*"),
            arn(partition, "elasticloadbalancing:*:*:listener-rule/net/*/*/*"),
            arn(partition, "elasticloadbalancing:*:*:listener-rule/app/*/*/*")),
        allow(
                List.of(
                    "ec2:AuthorizeSecurityGroupIngress",
                    "ec2:RevokeSecurityGroupIngress",
                    "ec2:DeleteSecurityGroup",
                    "elasticloadbalancing:ModifyLoadBalancerAttributes",
                    "elasticloadbalancing:SetIpAddressType",
                    "elasticloadbalancing:SetSecurityGroups",
                    "elasticloadbalancing:SetSubnets",
                    "elasticloadbalancing:DeleteLoadBalancer",
                    "elasticloadbalancing:ModifyTargetGroup",
                    "elasticloadbalancing:ModifyTargetGroupAttributes",
                    "elasticloadbalancing:DeleteTargetGroup"),
                ALL)
            .when("Null", Map.of("aws:ResourceTag/" + CLUSTER_TAG, "false")),
        allow(
            List.of(
                "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"),
            arn(partition, "elasticloadbalancing:*:*:targetgroup/*/*")),
        allow(
            List.of(
                "iam:CreateServiceLinkedRole",
                "ec2:DescribeAccountAttributes",
                "ec2:DescribeAddresses",
                "ec2:DescribeAvailabilityZones",
                "ec2:DescribeInternetGateways",
                "ec2:DescribeVpcs",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeInstances",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeTags",
                "elasticloadbalancing:DescribeLoadBalancers",
                "elasticloadbalancing:DescribeLoadBalancerAttributes",
                "elasticloadbalancing:DescribeListeners",
                "elasticloadbalancing:DescribeListenerCertificates",
                "elasticloadbalancing:DescribeSSLPolicies",
                "elasticloadbalancing:DescribeRules",
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTargetGroupAttributes",
                "elasticloadbalancing:DescribeTargetHealth",
                "elasticloadbalancing:DescribeTags",
                "cognito-idp:DescribeUserPoolClient",
                "acm:ListCertificates",
                "acm:DescribeCertificate",
                "iam:ListServerCertificates",
                "iam:GetServerCertificate",
                "waf-regional:GetWebACL",
                "waf-regional:GetWebACLForResource",
                "waf-regional:AssociateWebACL",
                "waf-regional:DisassociateWebACL",
                "wafv2:GetWebACL",
                "wafv2:GetWebACLForResource",
                "wafv2:AssociateWebACL",
                "wafv2:DisassociateWebACL",
                "shield:GetSubscriptionState",
                "shield:DescribeProtection",
                "shield:CreateProtection",
                "shield:DeleteProtection",
                "ec2:AuthorizeSecurityGroupIngress",
                "ec2:RevokeSecurityGroupIngress",
                "ec2:CreateSecurityGroup",
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:CreateRule",
                "elasticloadbalancing:DeleteRule",
                "elasticloadbalancing:SetWebAcl",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:AddListenerCertificates",
                "elasticloadbalancing:RemoveListenerCertificates",
                "elasticloadbalancing:ModifyRule"),
            ALL));
  }
}
