package io.refarch.sandbox.aws.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import io.refarch.sandbox.aws.core.AwsError;
import io.refarch.sandbox.aws.core.AwsProtocol;
import io.refarch.sandbox.aws.core.AwsRequest;
import io.refarch.sandbox.aws.core.AwsService;
import io.refarch.sandbox.aws.core.FormParams;
import io.refarch.sandbox.aws.core.XmlWriter;
import io.refarch.sandbox.aws.ec2.Ec2Network.Address;
import io.refarch.sandbox.aws.ec2.Ec2Network.InternetGateway;
import io.refarch.sandbox.aws.ec2.Ec2Network.LaunchTemplate;
import io.refarch.sandbox.aws.ec2.Ec2Network.NatGateway;
import io.refarch.sandbox.aws.ec2.Ec2Network.Resource;
import io.refarch.sandbox.aws.ec2.Ec2Network.RouteTable;
import io.refarch.sandbox.aws.ec2.Ec2Network.SecurityGroup;
import io.refarch.sandbox.aws.ec2.Ec2Network.Subnet;
import io.refarch.sandbox.aws.ec2.Ec2Network.Vpc;
import io.refarch.sandbox.aws.quotas.AwsQuotas;
import io.refarch.sandbox.core.Faults;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * EC2's Query dialect for {@link Ec2}: form-encoded {@code Action=...} requests with numbered lists
 * ({@code Filter.1.Value.1}, {@code TagSpecification.1.Tag.1.Key}), XML answers whose lists are
 * {@code <fooSet><item>}, members named as the service model's {@code locationName}s.
 */
public final class Ec2Query implements AwsService {

  private static final String XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/";

  /** The actions served, which faults can name. */
  public static final Set<String> ACTIONS =
      Set.of(
          "DescribeAvailabilityZones",
          "CreateVpc",
          "DescribeVpcs",
          "DeleteVpc",
          "ModifyVpcAttribute",
          "CreateSecurityGroup",
          "DescribeSecurityGroups",
          "DeleteSecurityGroup",
          "DescribeNetworkInterfaces",
          "CreateSubnet",
          "DescribeSubnets",
          "DeleteSubnet",
          "ModifySubnetAttribute",
          "CreateInternetGateway",
          "DescribeInternetGateways",
          "AttachInternetGateway",
          "DetachInternetGateway",
          "DeleteInternetGateway",
          "AllocateAddress",
          "DescribeAddresses",
          "ReleaseAddress",
          "CreateNatGateway",
          "DescribeNatGateways",
          "DeleteNatGateway",
          "CreateRouteTable",
          "DescribeRouteTables",
          "DeleteRouteTable",
          "CreateRoute",
          "AssociateRouteTable",
          "DisassociateRouteTable",
          "CreateTags",
          "DeleteTags",
          "CreateLaunchTemplate",
          "DescribeLaunchTemplates",
          "DescribeLaunchTemplateVersions",
          "DeleteLaunchTemplate",
          "DescribeAccountAttributes",
          "DescribeInstanceTypes",
          "DescribeInstances");

  private final Ec2 ec2;
  private final Faults faults;
  private final AwsQuotas quotas;

  public Ec2Query(Ec2 ec2, Faults faults, AwsQuotas quotas) {
    this.ec2 = ec2;
    this.faults = faults;
    this.quotas = quotas;
  }

  @Override
  public String signingName() {
    return "ec2";
  }

  @Override
  public AwsProtocol protocol() {
    return AwsProtocol.EC2;
  }

  @Override
  public String handle(AwsRequest request) {
    FormParams p = request.form();
    String action = p.require("Action");
    String region = request.region();
    if (!ACTIONS.contains(action)) {
      throw AwsError.client(
          "InvalidAction", "The action " + action + " is not valid for this web service.");
    }
    faults.check(action, targets(p));
    return switch (action) {
      case "DescribeAvailabilityZones" ->
          answer(
              action,
              x -> {
                x.start("availabilityZoneInfo");
                List<String> zones = Ec2.zones(region);
                for (int i = 0; i < zones.size(); i++) {
                  x.start("item")
                      .leaf("zoneName", zones.get(i))
                      .leaf("zoneId", region.replace("-", "").substring(0, 4) + "-az" + (i + 1))
                      .leaf("zoneState", "available")
                      .leaf("regionName", region)
                      .leaf("zoneType", "availability-zone")
                      .leaf("groupName", region)
                      .leaf("optInStatus", "opt-in-not-required")
                      .end();
                }
                x.end();
              });
      case "CreateVpc" -> {
        Vpc vpc = ec2.createVpc(region, p.require("CidrBlock"), tags(p, "vpc"));
        yield answer(action, x -> vpc(x.start("vpc"), vpc).end());
      }
      case "DescribeVpcs" -> {
        List<Vpc> vpcs = ec2.describeVpcs(region, p.list("VpcId"), filters(p));
        yield answer(action, x -> set(x, "vpcSet", vpcs, this::vpc));
      }
      case "DeleteVpc" -> {
        ec2.deleteVpc(p.require("VpcId"));
        yield done(action);
      }
      case "ModifyVpcAttribute" -> {
        String support = p.get("EnableDnsSupport.Value");
        String hostnames = p.get("EnableDnsHostnames.Value");
        ec2.modifyVpcAttribute(
            p.require("VpcId"),
            support == null ? null : Boolean.valueOf(support),
            hostnames == null ? null : Boolean.valueOf(hostnames));
        yield done(action);
      }
      case "CreateSecurityGroup" -> {
        SecurityGroup group =
            ec2.createSecurityGroup(
                region,
                p.require("VpcId"),
                p.get("GroupName"),
                p.get("GroupDescription"),
                tags(p, "security-group"));
        yield answer(
            action, x -> tagSet(x.leaf("return", "true").leaf("groupId", group.id), group));
      }
      case "DescribeSecurityGroups" -> {
        List<SecurityGroup> groups =
            ec2.describeSecurityGroups(region, p.list("GroupId"), filters(p));
        yield answer(action, x -> set(x, "securityGroupInfo", groups, this::securityGroup));
      }
      case "DeleteSecurityGroup" -> {
        ec2.deleteSecurityGroup(p.require("GroupId"));
        yield done(action);
      }
      case "DescribeNetworkInterfaces" ->
          // No instances, load balancers or EKS control-plane ENIs are emulated: none block a
          // delete.
          answer(action, x -> x.start("networkInterfaceSet").end());
      case "CreateSubnet" -> {
        Subnet subnet =
            ec2.createSubnet(
                region,
                p.require("VpcId"),
                p.require("CidrBlock"),
                p.get("AvailabilityZone"),
                tags(p, "subnet"));
        yield answer(action, x -> subnet(x.start("subnet"), subnet).end());
      }
      case "DescribeSubnets" -> {
        List<Subnet> subnets = ec2.describeSubnets(region, p.list("SubnetId"), filters(p));
        yield answer(action, x -> set(x, "subnetSet", subnets, this::subnet));
      }
      case "ModifySubnetAttribute" -> {
        String value = p.get("MapPublicIpOnLaunch.Value");
        if (value == null) {
          throw AwsError.client(
              "InvalidParameterCombination",
              "The sandbox changes only MapPublicIpOnLaunch of a subnet.");
        }
        ec2.mapPublicIpOnLaunch(p.require("SubnetId"), Boolean.parseBoolean(value));
        yield done(action);
      }
      case "DeleteSubnet" -> {
        ec2.deleteSubnet(p.require("SubnetId"));
        yield done(action);
      }
      case "CreateInternetGateway" -> {
        InternetGateway gateway = ec2.createInternetGateway(region, tags(p, "internet-gateway"));
        yield answer(action, x -> internetGateway(x.start("internetGateway"), gateway).end());
      }
      case "DescribeInternetGateways" -> {
        List<InternetGateway> gateways =
            ec2.describeInternetGateways(region, p.list("InternetGatewayId"), filters(p));
        yield answer(action, x -> set(x, "internetGatewaySet", gateways, this::internetGateway));
      }
      case "AttachInternetGateway" -> {
        ec2.attachInternetGateway(p.require("InternetGatewayId"), p.require("VpcId"));
        yield done(action);
      }
      case "DetachInternetGateway" -> {
        ec2.detachInternetGateway(p.require("InternetGatewayId"), p.require("VpcId"));
        yield done(action);
      }
      case "DeleteInternetGateway" -> {
        ec2.deleteInternetGateway(p.require("InternetGatewayId"));
        yield done(action);
      }
      case "AllocateAddress" -> {
        Address address = ec2.allocateAddress(region, tags(p, "elastic-ip"));
        yield answer(
            action,
            x ->
                x.leaf("publicIp", address.publicIp)
                    .leaf("domain", "vpc")
                    .leaf("allocationId", address.id)
                    .leaf("networkBorderGroup", region));
      }
      case "DescribeAddresses" -> {
        List<Address> addresses = ec2.describeAddresses(region, p.list("AllocationId"), filters(p));
        yield answer(action, x -> set(x, "addressesSet", addresses, this::address));
      }
      case "ReleaseAddress" -> {
        ec2.releaseAddress(p.require("AllocationId"));
        yield done(action);
      }
      case "CreateNatGateway" -> {
        NatGateway nat =
            ec2.createNatGateway(
                region, p.require("SubnetId"), p.require("AllocationId"), tags(p, "natgateway"));
        yield answer(
            action,
            x ->
                natGateway(x.leaf("clientToken", p.get("ClientToken")).start("natGateway"), nat)
                    .end());
      }
      case "DescribeNatGateways" -> {
        List<NatGateway> nats = ec2.describeNatGateways(region, p.list("NatGatewayId"), filters(p));
        yield answer(action, x -> set(x, "natGatewaySet", nats, this::natGateway));
      }
      case "DeleteNatGateway" -> {
        NatGateway nat = ec2.deleteNatGateway(p.require("NatGatewayId"));
        yield answer(action, x -> x.leaf("natGatewayId", nat.id));
      }
      case "CreateRouteTable" -> {
        RouteTable table = ec2.createRouteTable(region, p.require("VpcId"), tags(p, "route-table"));
        yield answer(action, x -> routeTable(x.start("routeTable"), table).end());
      }
      case "DescribeRouteTables" -> {
        List<RouteTable> tables =
            ec2.describeRouteTables(region, p.list("RouteTableId"), filters(p));
        yield answer(action, x -> set(x, "routeTableSet", tables, this::routeTable));
      }
      case "DeleteRouteTable" -> {
        ec2.deleteRouteTable(p.require("RouteTableId"));
        yield done(action);
      }
      case "CreateRoute" -> {
        ec2.createRoute(
            p.require("RouteTableId"),
            p.require("DestinationCidrBlock"),
            p.get("GatewayId"),
            p.get("NatGatewayId"));
        yield done(action);
      }
      case "AssociateRouteTable" -> {
        String id = ec2.associateRouteTable(p.require("RouteTableId"), p.require("SubnetId"));
        yield answer(
            action,
            x ->
                x.leaf("associationId", id)
                    .start("associationState")
                    .leaf("state", "associated")
                    .end());
      }
      case "DisassociateRouteTable" -> {
        ec2.disassociateRouteTable(p.require("AssociationId"));
        yield done(action);
      }
      case "CreateTags" -> {
        ec2.createTags(p.list("ResourceId"), tagList(p, "Tag"));
        yield done(action);
      }
      case "DeleteTags" -> {
        ec2.deleteTags(p.list("ResourceId"), tagList(p, "Tag"));
        yield done(action);
      }
      case "CreateLaunchTemplate" -> {
        LaunchTemplate template =
            ec2.createLaunchTemplate(
                region,
                p.require("LaunchTemplateName"),
                p.under("LaunchTemplateData").tree(),
                tags(p, "launch-template"));
        yield answer(action, x -> launchTemplate(x.start("launchTemplate"), template).end());
      }
      case "DescribeLaunchTemplates" -> {
        List<LaunchTemplate> templates =
            ec2.describeLaunchTemplates(
                region, p.list("LaunchTemplateId"), p.list("LaunchTemplateName"), filters(p));
        yield answer(action, x -> set(x, "launchTemplates", templates, this::launchTemplate));
      }
      case "DescribeLaunchTemplateVersions" -> {
        String id = p.get("LaunchTemplateId");
        String name = p.get("LaunchTemplateName");
        List<LaunchTemplate> templates =
            ec2.describeLaunchTemplates(
                region,
                id == null ? List.of() : List.of(id),
                name == null ? List.of() : List.of(name),
                Map.of());
        yield answer(
            action,
            x -> set(x, "launchTemplateVersionSet", templates, this::launchTemplateVersion));
      }
      case "DeleteLaunchTemplate" -> {
        LaunchTemplate template =
            ec2.deleteLaunchTemplate(p.get("LaunchTemplateId"), p.get("LaunchTemplateName"));
        yield answer(action, x -> launchTemplate(x.start("launchTemplate"), template).end());
      }
      case "DescribeAccountAttributes" -> accountAttributes(action, p.list("AttributeName"));
      case "DescribeInstanceTypes" -> instanceTypes(action, p.list("InstanceType"));
      // The sandbox runs no EC2 instances: node groups' nodes live in EKS's emulation only.
      case "DescribeInstances" -> answer(action, x -> x.start("reservationSet").end());
      default -> throw new IllegalStateException("unrouted action " + action);
    };
  }

  /**
   * The account's attributes; the Elastic IP limits are the sandbox's EIP quota ({@link
   * AwsQuotas#ELASTIC_IPS}), as on AWS, where the attribute follows the quota.
   */
  private String accountAttributes(String action, List<String> names) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("supported-platforms", "VPC");
    all.put("default-vpc", "none");
    all.put("max-instances", "20");
    all.put("vpc-max-security-groups-per-interface", "5");
    String eips = Long.toString((long) quotas.value(AwsQuotas.ELASTIC_IPS));
    all.put("max-elastic-ips", eips);
    all.put("vpc-max-elastic-ips", eips);
    for (String name : names) {
      if (!all.containsKey(name)) {
        throw AwsError.client(
            "InvalidParameterValue",
            "Value (" + name + ") for parameter attributeName is invalid.");
      }
    }
    return answer(
        action,
        x -> {
          x.start("accountAttributeSet");
          all.forEach(
              (name, value) -> {
                if (names.isEmpty() || names.contains(name)) {
                  x.start("item")
                      .leaf("attributeName", name)
                      .start("attributeValueSet")
                      .start("item")
                      .leaf("attributeValue", value)
                      .end()
                      .end()
                      .end();
                }
              });
          x.end();
        });
  }

  /** The types asked for; one the sandbox does not know fails the call, as AWS's do. */
  private String instanceTypes(String action, List<String> names) {
    List<String> unknown = names.stream().filter(n -> InstanceTypes.find(n).isEmpty()).toList();
    if (!unknown.isEmpty()) {
      throw AwsError.client(
          "InvalidInstanceType", "The following supplied instance types do not exist: " + unknown);
    }
    return answer(
        action,
        x -> {
          x.start("instanceTypeSet");
          for (String name : names.isEmpty() ? InstanceTypes.names() : names) {
            InstanceTypes.InstanceType t = InstanceTypes.find(name).orElseThrow();
            x.start("item")
                .leaf("instanceType", t.name())
                .leaf("currentGeneration", "true")
                .start("vCpuInfo")
                .leaf("defaultVCpus", Integer.toString(t.vcpus()))
                .end()
                .start("memoryInfo")
                .leaf("sizeInMiB", Long.toString(t.memoryMib()))
                .end()
                .end();
          }
          x.end();
        });
  }

  /** What a fault's resource can name: the ids the call targets and the Name tag it gives. */
  private static String[] targets(FormParams p) {
    List<String> names = new ArrayList<>();
    for (String key :
        List.of(
            "VpcId",
            "SubnetId",
            "InternetGatewayId",
            "AllocationId",
            "NatGatewayId",
            "RouteTableId",
            "LaunchTemplateName",
            "LaunchTemplateId",
            "GroupId",
            "VpcId.1",
            "SubnetId.1",
            "NatGatewayId.1",
            "InstanceType.1")) {
      if (p.get(key) != null) {
        names.add(p.get(key));
      }
    }
    String name = tagList(p.under("TagSpecification.1"), "Tag").get("Name");
    if (name != null) {
      names.add(name);
    }
    return names.toArray(String[]::new);
  }

  // ---- request parts ----

  /** The tags of the TagSpecifications for resources of {@code type}. */
  private static Map<String, String> tags(FormParams p, String type) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (FormParams spec : p.structs("TagSpecification")) {
      String specType = spec.get("ResourceType");
      if (specType == null || specType.equals(type)) {
        tags.putAll(tagList(spec, "Tag"));
      }
    }
    return tags;
  }

  /** {@code prefix.N.Key} / {@code prefix.N.Value}; a missing value is null (DeleteTags: any). */
  private static Map<String, String> tagList(FormParams p, String prefix) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (FormParams tag : p.structs(prefix)) {
      tags.put(tag.require("Key"), tag.get("Value"));
    }
    return tags;
  }

  private static Map<String, List<String>> filters(FormParams p) {
    Map<String, List<String>> filters = new LinkedHashMap<>();
    for (FormParams f : p.structs("Filter")) {
      filters.put(f.require("Name"), f.list("Value"));
    }
    return filters;
  }

  // ---- answers ----

  private static String answer(String action, Consumer<XmlWriter> members) {
    XmlWriter x = new XmlWriter().declaration().start(action + "Response", XMLNS);
    x.leaf("requestId", UUID.randomUUID().toString());
    members.accept(x);
    return x.end().toString();
  }

  private static String done(String action) {
    return answer(action, x -> x.leaf("return", "true"));
  }

  private interface Writer<R> {
    XmlWriter write(XmlWriter x, R resource);
  }

  private static <R> void set(XmlWriter x, String name, List<R> items, Writer<R> writer) {
    x.start(name);
    for (R item : items) {
      writer.write(x.start("item"), item).end();
    }
    x.end();
  }

  private static XmlWriter tagSet(XmlWriter x, Resource r) {
    if (r.tags.isEmpty()) {
      return x;
    }
    x.start("tagSet");
    r.tags.forEach((k, v) -> x.start("item").leaf("key", k).leaf("value", v).end());
    return x.end();
  }

  private XmlWriter vpc(XmlWriter x, Vpc vpc) {
    x.leaf("vpcId", vpc.id)
        .leaf("ownerId", "000000000000")
        .leaf("state", "available")
        .leaf("cidrBlock", vpc.cidrBlock)
        .start("cidrBlockAssociationSet")
        .start("item")
        .leaf("associationId", "vpc-cidr-assoc-" + vpc.id.substring(4))
        .leaf("cidrBlock", vpc.cidrBlock)
        .start("cidrBlockState")
        .leaf("state", "associated")
        .end()
        .end()
        .end()
        .leaf("dhcpOptionsId", "dopt-00000000")
        .leaf("instanceTenancy", "default")
        .leaf("isDefault", "false");
    return tagSet(x, vpc);
  }

  private XmlWriter securityGroup(XmlWriter x, SecurityGroup g) {
    x.leaf("ownerId", "000000000000")
        .leaf("groupId", g.id)
        .leaf("groupName", g.groupName)
        .leaf("groupDescription", g.description)
        .leaf("vpcId", g.vpcId);
    return tagSet(x, g);
  }

  private XmlWriter subnet(XmlWriter x, Subnet s) {
    x.leaf("subnetId", s.id)
        .leaf("subnetArn", "arn:aws:ec2:" + s.region + ":000000000000:subnet/" + s.id)
        .leaf("state", "available")
        .leaf("vpcId", s.vpcId)
        .leaf("cidrBlock", s.cidrBlock)
        .leaf("availableIpAddressCount", availableIps(s.cidrBlock))
        .leaf("availabilityZone", s.availabilityZone)
        .leaf("availabilityZoneId", s.availabilityZone)
        .leaf("defaultForAz", "false")
        .leaf("mapPublicIpOnLaunch", s.mapPublicIpOnLaunch)
        .leaf("ownerId", "000000000000");
    return tagSet(x, s);
  }

  private static long availableIps(String cidr) {
    int bits = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    // AWS reserves five addresses of every subnet.
    return Math.max(0, (1L << (32 - bits)) - 5);
  }

  private XmlWriter internetGateway(XmlWriter x, InternetGateway g) {
    x.leaf("internetGatewayId", g.id).leaf("ownerId", "000000000000").start("attachmentSet");
    if (g.vpcId != null) {
      x.start("item").leaf("vpcId", g.vpcId).leaf("state", "available").end();
    }
    x.end();
    return tagSet(x, g);
  }

  private XmlWriter address(XmlWriter x, Address a) {
    x.leaf("publicIp", a.publicIp)
        .leaf("allocationId", a.id)
        .leaf("domain", "vpc")
        .leaf("associationId", a.associationId())
        .leaf("networkBorderGroup", a.region);
    return tagSet(x, a);
  }

  private XmlWriter natGateway(XmlWriter x, NatGateway n) {
    x.leaf("natGatewayId", n.id)
        .leaf("subnetId", n.subnetId)
        .leaf("vpcId", n.vpcId)
        .leaf("state", n.state)
        .leaf("connectivityType", n.connectivityType)
        .leaf("createTime", Instant.ofEpochMilli(n.createTime))
        .leaf("deleteTime", n.deleteTime == 0 ? null : Instant.ofEpochMilli(n.deleteTime))
        .start("natGatewayAddressSet")
        .start("item")
        .leaf("allocationId", n.allocationId)
        .leaf("publicIp", n.publicIp)
        .leaf("privateIp", n.privateIp)
        .leaf("isPrimary", "true")
        .leaf("status", n.state.equals("available") ? "succeeded" : null)
        .end()
        .end();
    return tagSet(x, n);
  }

  private XmlWriter routeTable(XmlWriter x, RouteTable t) {
    x.leaf("routeTableId", t.id).leaf("vpcId", t.vpcId).leaf("ownerId", "000000000000");
    x.start("routeSet");
    for (Ec2Network.Route r : t.routes) {
      x.start("item")
          .leaf("destinationCidrBlock", r.destinationCidrBlock)
          .leaf("gatewayId", r.gatewayId)
          .leaf("natGatewayId", r.natGatewayId)
          .leaf("state", "active")
          .leaf("origin", r.origin)
          .end();
    }
    x.end().start("associationSet");
    for (Ec2Network.Association a : t.associations) {
      x.start("item")
          .leaf("routeTableAssociationId", a.id)
          .leaf("routeTableId", t.id)
          .leaf("subnetId", a.subnetId)
          .leaf("main", a.main())
          .start("associationState")
          .leaf("state", "associated")
          .end()
          .end();
    }
    x.end();
    return tagSet(x, t);
  }

  private XmlWriter launchTemplate(XmlWriter x, LaunchTemplate t) {
    x.leaf("launchTemplateId", t.id)
        .leaf("launchTemplateName", t.name)
        .leaf("createTime", Instant.ofEpochMilli(t.createTime))
        .leaf("createdBy", "arn:aws:iam::000000000000:root")
        .leaf("defaultVersionNumber", 1)
        .leaf("latestVersionNumber", 1);
    return tagSet(x, t);
  }

  private XmlWriter launchTemplateVersion(XmlWriter x, LaunchTemplate t) {
    x.leaf("launchTemplateId", t.id)
        .leaf("launchTemplateName", t.name)
        .leaf("versionNumber", 1)
        .leaf("createTime", Instant.ofEpochMilli(t.createTime))
        .leaf("createdBy", "arn:aws:iam::000000000000:root")
        .leaf("defaultVersion", "true");
    x.start("launchTemplateData");
    t.data.fields().forEachRemaining(e -> responseData(x, e.getKey(), e.getValue()));
    return x.end();
  }

  /**
   * The launch template data as EC2 answers it: the request's member names with a lower-case first
   * letter, numbered lists as {@code <nameSet><item>} (BlockDeviceMapping → blockDeviceMappingSet,
   * SecurityGroupId → securityGroupIdSet, Tag → tagSet), as in the ResponseLaunchTemplateData shape
   * of the service model.
   */
  private static void responseData(XmlWriter x, String requestName, JsonNode value) {
    String name = Character.toLowerCase(requestName.charAt(0)) + requestName.substring(1);
    if (value.isArray()) {
      x.start(name + "Set");
      for (JsonNode item : value) {
        if (item.isObject()) {
          x.start("item");
          item.fields().forEachRemaining(e -> responseData(x, e.getKey(), e.getValue()));
          x.end();
        } else {
          x.leaf("item", item.asText());
        }
      }
      x.end();
    } else if (value.isObject()) {
      x.start(name);
      value.fields().forEachRemaining(e -> responseData(x, e.getKey(), e.getValue()));
      x.end();
    } else {
      x.leaf(name, value.asText());
    }
  }
}
