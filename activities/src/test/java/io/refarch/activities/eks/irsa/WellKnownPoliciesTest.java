package io.refarch.activities.eks.irsa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refarch.activities.eks.irsa.WellKnownPolicies.InlinePolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's four IRSA accounts get the inline policies eksctl gives their well-known policy. */
class WellKnownPoliciesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void eachWellKnownPolicyHasEksctlsPolicyNames() {
    assertThat(names("awsLoadBalancerController"))
        .containsExactly("PolicyAWSLoadBalancerController");
    assertThat(names("ebsCSIController")).containsExactly("PolicyEBSCSIController");
    assertThat(names("autoScaler")).containsExactly("PolicyAutoScaling");
    assertThat(names("certManager"))
        .containsExactly(
            "PolicyCertManagerChangeSet",
            "PolicyCertManagerGetChange",
            "PolicyCertManagerHostedZones");
  }

  @Test
  void autoScalerMayScaleGroupsAndReadLaunchTemplates() throws Exception {
    List<String> actions = actions("autoScaler");
    assertThat(actions)
        .contains(
            "autoscaling:SetDesiredCapacity",
            "autoscaling:TerminateInstanceInAutoScalingGroup",
            "ec2:DescribeLaunchTemplateVersions");
  }

  @Test
  void certManagerChangesRecordsOnlyInHostedZonesOfThePartition() throws Exception {
    JsonNode changeSet =
        JSON.readTree(WellKnownPolicies.of("certManager", "aws-cn").get(0).document());
    JsonNode s = changeSet.path("Statement").get(0);
    assertThat(s.path("Action").asText()).isEqualTo("route53:ChangeResourceRecordSets");
    assertThat(s.path("Resource").asText()).isEqualTo("arn:aws-cn:route53:::hostedzone/*");
  }

  @Test
  void loadBalancerControllerTagsOnlyWhatCarriesItsClusterTag() throws Exception {
    JsonNode doc =
        JSON.readTree(WellKnownPolicies.of("awsLoadBalancerController", "aws").get(0).document());
    JsonNode first = doc.path("Statement").get(0);
    assertThat(first.path("Resource").asText()).isEqualTo("arn:aws:ec2:*:*:security-group/*");
    assertThat(first.path("Condition").path("StringEquals").path("ec2:CreateAction").asText())
        .isEqualTo("CreateSecurityGroup");
    assertThat(
            first
                .path("Condition")
                .path("Null")
                .path("aws:RequestTag/elbv2.k8s.aws/cluster")
                .asText())
        .isEqualTo("false");
    assertThat(actions("awsLoadBalancerController"))
        .contains(
            "elasticloadbalancing:CreateLoadBalancer",
            "elasticloadbalancing:RegisterTargets",
            "wafv2:AssociateWebACL");
  }

  @Test
  void ebsCsiControllerManagesVolumesAndSnapshots() throws Exception {
    assertThat(actions("ebsCSIController"))
        .contains("ec2:CreateVolume", "ec2:AttachVolume", "ec2:CreateSnapshot", "ec2:ModifyVolume");
  }

  @Test
  void anUnknownPolicyIsRefused() {
    assertThatThrownBy(() -> WellKnownPolicies.of("imageBuilder", "aws"))
        .hasMessageContaining("imageBuilder");
  }

  private static List<String> names(String wellKnown) {
    return WellKnownPolicies.of(wellKnown, "aws").stream().map(InlinePolicy::name).toList();
  }

  private static List<String> actions(String wellKnown) throws Exception {
    List<String> actions = new ArrayList<>();
    for (InlinePolicy p : WellKnownPolicies.of(wellKnown, "aws")) {
      for (JsonNode s : JSON.readTree(p.document()).path("Statement")) {
        JsonNode a = s.path("Action");
        if (a.isArray()) {
          a.forEach(x -> actions.add(x.asText()));
        } else {
          actions.add(a.asText());
        }
      }
    }
    return actions;
  }
}
