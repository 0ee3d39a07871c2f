package io.refarch.activities.eks.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkPlanTest {
  private static final List<String> ZONES = List.of("eu-west-1a", "eu-west-1b", "eu-west-1c");

  @Test
  void splitsTheSeedsVpcIntoEightSlash19sPublicFirstAsEksctlDoes() {
    NetworkPlan plan = NetworkPlan.of("192.168.0.0/16", ZONES, "Single");
    assertThat(plan.publicSubnets())
        .extracting(NetworkPlan.Subnet::cidr)
        .containsExactly("192.168.0.0/19", "192.168.32.0/19", "192.168.64.0/19");
    assertThat(plan.privateSubnets())
        .extracting(NetworkPlan.Subnet::cidr)
        .containsExactly("192.168.96.0/19", "192.168.128.0/19", "192.168.160.0/19");
    assertThat(plan.privateSubnets())
        .extracting(NetworkPlan.Subnet::zone)
        .containsExactlyElementsOf(ZONES);
    assertThat(plan.publicSubnets().get(1).part()).isEqualTo("subnet/public/eu-west-1b");
  }

  @Test
  void twoZonesStillUseSlash19sAndFiveUseSlash20s() {
    assertThat(NetworkPlan.of("192.168.0.0/16", ZONES.subList(0, 2), "Single").subnets())
        .extracting(NetworkPlan.Subnet::cidr)
        .containsExactly("192.168.0.0/19", "192.168.32.0/19", "192.168.64.0/19", "192.168.96.0/19");
    List<String> five = List.of("a", "b", "c", "d", "e");
    assertThat(NetworkPlan.of("10.0.0.0/16", five, "Single").subnets().get(9).cidr())
        .isEqualTo("10.0.144.0/20");
  }

  @Test
  void singleNatServesEveryZoneFromTheFirstHighlyAvailableOnePerZone() {
    NetworkPlan single = NetworkPlan.of("192.168.0.0/16", ZONES, "Single");
    assertThat(single.natZones()).containsExactly("eu-west-1a");
    assertThat(single.natZoneFor("eu-west-1c")).isEqualTo("eu-west-1a");
    NetworkPlan ha = NetworkPlan.of("192.168.0.0/16", ZONES, "HighlyAvailable");
    assertThat(ha.natZones()).containsExactlyElementsOf(ZONES);
    assertThat(ha.natZoneFor("eu-west-1c")).isEqualTo("eu-west-1c");
    assertThat(NetworkPlan.of("192.168.0.0/16", ZONES, "Disable").natZones()).isEmpty();
  }

  @Test
  void aVpcTooSmallForTheSubnetsIsRefused() {
    assertThatThrownBy(() -> NetworkPlan.of("10.0.0.0/27", ZONES, "Single"))
        .hasMessageContaining("too small");
  }

  @Test
  void subnetsCarryTheTagsLoadBalancersLookFor() {
    assertThat(SubnetTags.of("gitpod", true))
        .containsEntry("kubernetes.io/role/elb", "1")
        .containsEntry("kubernetes.io/cluster/gitpod", "owned")
        .doesNotContainKey("kubernetes.io/role/internal-elb");
    assertThat(SubnetTags.of("gitpod", false))
        .containsEntry("kubernetes.io/role/internal-elb", "1")
        .containsEntry("kubernetes.io/cluster/gitpod", "owned");
  }
}
