package io.refarch.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.CreateLaunchTemplateResponse;
import software.amazon.awssdk.services.ec2.model.DescribeNatGatewaysResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateHttpTokensState;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NatGatewayState;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeType;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.waiters.Ec2Waiter;

/** The network eksctl builds, through the real EC2 client over EC2's Query protocol. */
class AwsEc2Test {

  @TempDir Path state;
  Sandbox sandbox;
  Ec2Client ec2;

  @BeforeEach
  void start() throws Exception {
    sandbox =
        Sandbox.start(
            SandboxOptions.defaults(state).withOperationDuration(Duration.ofMillis(1500)));
    ec2 = AwsClients.ec2(sandbox);
  }

  @AfterEach
  void stop() {
    ec2.close();
    sandbox.close();
  }

  static TagSpecification tags(ResourceType type, String name) {
    return TagSpecification.builder()
        .resourceType(type)
        .tags(
            Tag.builder().key("Name").value(name).build(),
            Tag.builder().key("alpha.eksctl.io/cluster-name").value("gitpod").build())
        .build();
  }

  Vpc vpc() {
    return ec2.createVpc(
            r ->
                r.cidrBlock("192.168.0.0/16")
                    .tagSpecifications(tags(ResourceType.VPC, "gitpod-vpc")))
        .vpc();
  }

  Subnet subnet(Vpc vpc, String cidr, String zone, String name) {
    return ec2.createSubnet(
            r ->
                r.vpcId(vpc.vpcId())
                    .cidrBlock(cidr)
                    .availabilityZone(zone)
                    .tagSpecifications(tags(ResourceType.SUBNET, name)))
        .subnet();
  }

  @Test
  void zonesOfTheRegion() {
    List<AvailabilityZone> zones = ec2.describeAvailabilityZones().availabilityZones();
    assertThat(zones)
        .extracting(AvailabilityZone::zoneName)
        .containsExactly("us-east-1a", "us-east-1b", "us-east-1c");
    assertThat(zones).allSatisfy(z -> assertThat(z.regionName()).isEqualTo("us-east-1"));
  }

  @Test
  void vpcSubnetsAndTagFilters() {
    Vpc vpc = vpc();
    assertThat(vpc.vpcId()).startsWith("vpc-");
    assertThat(vpc.cidrBlock()).isEqualTo("192.168.0.0/16");
    assertThat(vpc.tags()).contains(Tag.builder().key("Name").value("gitpod-vpc").build());
    Subnet a = subnet(vpc, "192.168.0.0/19", "us-east-1a", "public-a");
    subnet(vpc, "192.168.32.0/19", "us-east-1b", "public-b");
    ec2.modifySubnetAttribute(
        r -> r.subnetId(a.subnetId()).mapPublicIpOnLaunch(v -> v.value(true)));

    List<Vpc> byTag =
        ec2.describeVpcs(
                r -> r.filters(Filter.builder().name("tag:Name").values("gitpod-vpc").build()))
            .vpcs();
    assertThat(byTag).extracting(Vpc::vpcId).containsExactly(vpc.vpcId());
    assertThat(
            ec2.describeVpcs(
                    r -> r.filters(Filter.builder().name("tag:Name").values("other").build()))
                .vpcs())
        .isEmpty();

    List<Subnet> subnets =
        ec2.describeSubnets(
                r ->
                    r.filters(
                        Filter.builder().name("vpc-id").values(vpc.vpcId()).build(),
                        Filter.builder().name("tag:Name").values("public-*").build()))
            .subnets();
    assertThat(subnets)
        .extracting(Subnet::availabilityZone)
        .containsExactlyInAnyOrder("us-east-1a", "us-east-1b");
    assertThat(subnets)
        .filteredOn(s -> s.subnetId().equals(a.subnetId()))
        .singleElement()
        .satisfies(s -> assertThat(s.mapPublicIpOnLaunch()).isTrue());

    ec2.createTags(
        r ->
            r.resources(a.subnetId())
                .tags(Tag.builder().key("kubernetes.io/role/elb").value("1").build()));
    assertThat(
            ec2.describeSubnets(
                    r ->
                        r.filters(
                            Filter.builder()
                                .name("tag-key")
                                .values("kubernetes.io/role/elb")
                                .build()))
                .subnets())
        .extracting(Subnet::subnetId)
        .containsExactly(a.subnetId());
    ec2.deleteTags(
        r -> r.resources(a.subnetId()).tags(Tag.builder().key("kubernetes.io/role/elb").build()));
    assertThat(ec2.describeSubnets(r -> r.subnetIds(a.subnetId())).subnets().get(0).tags())
        .extracting(Tag::key)
        .doesNotContain("kubernetes.io/role/elb");

    assertThatThrownBy(() -> subnet(vpc, "192.168.16.0/20", "us-east-1c", "overlapping"))
        .isInstanceOfSatisfying(
            Ec2Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSubnet.Conflict"));
  }

  @Test
  void deletingAVpcWithDependenciesIsADependencyViolation() {
    Vpc vpc = vpc();
    Subnet subnet = subnet(vpc, "192.168.0.0/19", "us-east-1a", "public-a");
    String igw = ec2.createInternetGateway().internetGateway().internetGatewayId();
    ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpc.vpcId()));

    assertThatThrownBy(() -> ec2.deleteVpc(r -> r.vpcId(vpc.vpcId())))
        .isInstanceOfSatisfying(
            Ec2Exception.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DependencyViolation");
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo(
                      "The vpc '" + vpc.vpcId() + "' has dependencies and cannot be deleted.");
            });
    assertThatThrownBy(() -> ec2.deleteInternetGateway(r -> r.internetGatewayId(igw)))
        .isInstanceOfSatisfying(
            Ec2Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DependencyViolation"));

    ec2.detachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpc.vpcId()));
    ec2.deleteInternetGateway(r -> r.internetGatewayId(igw));
    ec2.deleteSubnet(r -> r.subnetId(subnet.subnetId()));
    ec2.deleteVpc(r -> r.vpcId(vpc.vpcId()));

    assertThatThrownBy(() -> ec2.describeVpcs(r -> r.vpcIds(vpc.vpcId())))
        .isInstanceOfSatisfying(
            Ec2Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidVpcID.NotFound"));
  }

  @Test
  void natGatewayComesUpAndGoesDownOverTimeAsTheWaitersSee() {
    Vpc vpc = vpc();
    Subnet subnet = subnet(vpc, "192.168.0.0/19", "us-east-1a", "public-a");
    String allocation = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();
    NatGateway created =
        ec2.createNatGateway(
                r ->
                    r.subnetId(subnet.subnetId())
                        .allocationId(allocation)
                        .tagSpecifications(tags(ResourceType.NATGATEWAY, "gitpod-nat")))
            .natGateway();
    assertThat(created.state()).isEqualTo(NatGatewayState.PENDING);
    assertThat(created.vpcId()).isEqualTo(vpc.vpcId());
    assertThat(
            ec2.describeNatGateways(r -> r.natGatewayIds(created.natGatewayId()))
                .natGateways()
                .get(0)
                .state())
        .isEqualTo(NatGatewayState.PENDING);

    try (Ec2Waiter waiter =
        Ec2Waiter.builder().client(ec2).overrideConfiguration(AwsClients.quickWaiter()).build()) {
      WaiterResponse<DescribeNatGatewaysResponse> up =
          waiter.waitUntilNatGatewayAvailable(r -> r.natGatewayIds(created.natGatewayId()));
      NatGateway available = up.matched().response().orElseThrow().natGateways().get(0);
      assertThat(available.state()).isEqualTo(NatGatewayState.AVAILABLE);
      assertThat(available.natGatewayAddresses().get(0).allocationId()).isEqualTo(allocation);

      // The address is held and the subnet cannot go while the gateway lives.
      assertThatThrownBy(() -> ec2.releaseAddress(r -> r.allocationId(allocation)))
          .isInstanceOf(Ec2Exception.class);
      assertThatThrownBy(() -> ec2.deleteSubnet(r -> r.subnetId(subnet.subnetId())))
          .isInstanceOfSatisfying(
              Ec2Exception.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DependencyViolation"));

      // A private route table routing through it.
      RouteTable table = ec2.createRouteTable(r -> r.vpcId(vpc.vpcId())).routeTable();
      ec2.createRoute(
          r ->
              r.routeTableId(table.routeTableId())
                  .destinationCidrBlock("0.0.0.0/0")
                  .natGatewayId(created.natGatewayId()));
      String association =
          ec2.associateRouteTable(
                  r -> r.routeTableId(table.routeTableId()).subnetId(subnet.subnetId()))
              .associationId();
      RouteTable described =
          ec2
              .describeRouteTables(
                  r -> r.filters(Filter.builder().name("vpc-id").values(vpc.vpcId()).build()))
              .routeTables()
              .stream()
              .filter(t -> t.routeTableId().equals(table.routeTableId()))
              .findFirst()
              .orElseThrow();
      assertThat(described.routes())
          .anySatisfy(
              route -> {
                assertThat(route.destinationCidrBlock()).isEqualTo("0.0.0.0/0");
                assertThat(route.natGatewayId()).isEqualTo(created.natGatewayId());
              });
      assertThat(described.associations())
          .singleElement()
          .satisfies(a -> assertThat(a.subnetId()).isEqualTo(subnet.subnetId()));
      assertThatThrownBy(() -> ec2.deleteRouteTable(r -> r.routeTableId(table.routeTableId())))
          .isInstanceOfSatisfying(
              Ec2Exception.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DependencyViolation"));
      ec2.disassociateRouteTable(r -> r.associationId(association));
      ec2.deleteRouteTable(r -> r.routeTableId(table.routeTableId()));

      assertThat(ec2.deleteNatGateway(r -> r.natGatewayId(created.natGatewayId())).natGatewayId())
          .isEqualTo(created.natGatewayId());
      assertThat(
              ec2.describeNatGateways(r -> r.natGatewayIds(created.natGatewayId()))
                  .natGateways()
                  .get(0)
                  .state())
          .isEqualTo(NatGatewayState.DELETING);
      waiter.waitUntilNatGatewayDeleted(r -> r.natGatewayIds(created.natGatewayId()));
    }
    assertThat(
            ec2.describeNatGateways(
                    r -> r.filter(Filter.builder().name("tag:Name").values("gitpod-nat").build()))
                .natGateways())
        .singleElement()
        .satisfies(n -> assertThat(n.state()).isEqualTo(NatGatewayState.DELETED));
    ec2.releaseAddress(r -> r.allocationId(allocation));
    ec2.deleteSubnet(r -> r.subnetId(subnet.subnetId()));
    ec2.deleteVpc(r -> r.vpcId(vpc.vpcId()));
    assertThat(ec2.describeAddresses().addresses()).isEmpty();
  }

  @Test
  void launchTemplateDataReadsBack() {
    CreateLaunchTemplateResponse created =
        ec2.createLaunchTemplate(
            r ->
                r.launchTemplateName("gitpod-workspaces")
                    .launchTemplateData(
                        d ->
                            d.imageId("ami-0123456789abcdef0")
                                .instanceType("m6i.2xlarge")
                                .userData("IyEvYmluL2Jhc2gK")
                                .securityGroupIds("sg-1", "sg-2")
                                .metadataOptions(
                                    m ->
                                        m.httpTokens(LaunchTemplateHttpTokensState.REQUIRED)
                                            .httpPutResponseHopLimit(2))
                                .blockDeviceMappings(
                                    b ->
                                        b.deviceName("/dev/sda1")
                                            .ebs(
                                                e ->
                                                    e.volumeSize(300)
                                                        .volumeType(VolumeType.GP3)
                                                        .iops(6000)
                                                        .throughput(500)))));
    assertThat(created.launchTemplate().launchTemplateId()).startsWith("lt-");
    assertThat(created.launchTemplate().latestVersionNumber()).isEqualTo(1L);

    LaunchTemplateVersion version =
        ec2.describeLaunchTemplateVersions(r -> r.launchTemplateName("gitpod-workspaces"))
            .launchTemplateVersions()
            .get(0);
    var data = version.launchTemplateData();
    assertThat(data.imageId()).isEqualTo("ami-0123456789abcdef0");
    assertThat(data.instanceTypeAsString()).isEqualTo("m6i.2xlarge");
    assertThat(data.userData()).isEqualTo("IyEvYmluL2Jhc2gK");
    assertThat(data.securityGroupIds()).containsExactly("sg-1", "sg-2");
    assertThat(data.metadataOptions().httpTokens())
        .isEqualTo(LaunchTemplateHttpTokensState.REQUIRED);
    assertThat(data.metadataOptions().httpPutResponseHopLimit()).isEqualTo(2);
    assertThat(data.blockDeviceMappings())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.deviceName()).isEqualTo("/dev/sda1");
              assertThat(b.ebs().volumeSize()).isEqualTo(300);
              assertThat(b.ebs().volumeType()).isEqualTo(VolumeType.GP3);
              assertThat(b.ebs().iops()).isEqualTo(6000);
              assertThat(b.ebs().throughput()).isEqualTo(500);
            });

    assertThatThrownBy(
            () ->
                ec2.createLaunchTemplate(
                    r ->
                        r.launchTemplateName("gitpod-workspaces")
                            .launchTemplateData(d -> d.imageId("ami-1"))))
        .isInstanceOfSatisfying(
            Ec2Exception.class,
            e ->
                assertThat(e.awsErrorDetails().errorCode())
                    .isEqualTo("InvalidLaunchTemplateName.AlreadyExistsException"));
    ec2.deleteLaunchTemplate(r -> r.launchTemplateName("gitpod-workspaces"));
    assertThat(ec2.describeLaunchTemplates().launchTemplates()).isEmpty();
  }

  @Test
  void securityGroupsAndVpcDnsAttributesAsTheEksNetworkUsesThem() {
    String vpcId = vpc().vpcId();
    ec2.modifyVpcAttribute(r -> r.vpcId(vpcId).enableDnsSupport(b -> b.value(true)));
    ec2.modifyVpcAttribute(r -> r.vpcId(vpcId).enableDnsHostnames(b -> b.value(true)));
    assertThat(
            catchThrowableOfType(
                software.amazon.awssdk.services.ec2.model.Ec2Exception.class,
                () ->
                    ec2.modifyVpcAttribute(
                        r ->
                            r.vpcId("vpc-0000000000000000f").enableDnsSupport(b -> b.value(true)))))
        .satisfies(
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidVpcID.NotFound"));

    String groupId =
        ec2.createSecurityGroup(
                r ->
                    r.vpcId(vpcId)
                        .groupName("gitpod-control-plane")
                        .description("control plane")
                        .tagSpecifications(tags(ResourceType.SECURITY_GROUP, "gitpod-sg")))
            .groupId();
    assertThat(groupId).startsWith("sg-");
    assertThat(
            ec2.describeSecurityGroups(r -> r.filters(f -> f.name("tag:Name").values("gitpod-sg")))
                .securityGroups())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.groupId()).isEqualTo(groupId);
              assertThat(g.vpcId()).isEqualTo(vpcId);
              assertThat(g.groupName()).isEqualTo("gitpod-control-plane");
            });
    assertThat(
            catchThrowableOfType(
                software.amazon.awssdk.services.ec2.model.Ec2Exception.class,
                () -> ec2.deleteVpc(r -> r.vpcId(vpcId))))
        .as("a VPC with a security group has a dependency")
        .satisfies(
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DependencyViolation"));
    assertThat(
            ec2.describeNetworkInterfaces(r -> r.filters(f -> f.name("group-id").values(groupId)))
                .networkInterfaces())
        .isEmpty();

    ec2.deleteSecurityGroup(r -> r.groupId(groupId));
    assertThat(
            ec2.describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(vpcId)))
                .securityGroups())
        .isEmpty();
  }
}
