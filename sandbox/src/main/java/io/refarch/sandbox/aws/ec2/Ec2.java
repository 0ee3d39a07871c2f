package io.refarch.sandbox.aws.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.aws.core.AwsError;
import io.refarch.sandbox.aws.core.AwsOperation;
import io.refarch.sandbox.aws.ec2.Ec2Network.Address;
import io.refarch.sandbox.aws.ec2.Ec2Network.Association;
import io.refarch.sandbox.aws.ec2.Ec2Network.InternetGateway;
import io.refarch.sandbox.aws.ec2.Ec2Network.LaunchTemplate;
import io.refarch.sandbox.aws.ec2.Ec2Network.NatGateway;
import io.refarch.sandbox.aws.ec2.Ec2Network.Resource;
import io.refarch.sandbox.aws.ec2.Ec2Network.Route;
import io.refarch.sandbox.aws.ec2.Ec2Network.RouteTable;
import io.refarch.sandbox.aws.ec2.Ec2Network.SecurityGroup;
import io.refarch.sandbox.aws.ec2.Ec2Network.Subnet;
import io.refarch.sandbox.aws.ec2.Ec2Network.Vpc;
import io.refarch.sandbox.core.EmulatedService;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.core.Latency;
import io.refarch.sandbox.core.OperationTiming;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * EC2's networking as eksctl uses it, with EC2's rules: a VPC with subnets, gateways or extra route
 * tables cannot be deleted (DependencyViolation), nor a subnet holding a NAT gateway, nor an
 * attached internet gateway; NAT gateways take time to come up and go ({@code
 * ec2.CREATE_NAT_GATEWAY}, {@code ec2.DELETE_NAT_GATEWAY} in the {@link Latency}) and stay listed
 * as {@code deleted} afterwards, as on AWS. State changes finish lazily, when the next call comes.
 */
public final class Ec2 implements EmulatedService {

  private final Clock clock;
  private final Latency latency;
  private final Runnable changed;
  private Ec2Network.State state = new Ec2Network.State();

  /** The NAT gateway changes since start, for benchmarks; not saved. */
  private final List<AwsOperation> operations = new ArrayList<>();

  public Ec2(Clock clock, Latency latency, Runnable changed) {
    this.clock = clock;
    this.latency = latency;
    this.changed = changed;
  }

  /** The availability zones of a region: three, as the reference architecture spreads over. */
  public static List<String> zones(String region) {
    return List.of(region + "a", region + "b", region + "c");
  }

  // ---- VPCs ----

  public synchronized Vpc createVpc(String region, String cidr, Map<String, String> tags) {
    advance();
    checkCidr(cidr);
    Vpc vpc = tagged(new Vpc(), "vpc", region, tags);
    vpc.cidrBlock = cidr;
    state.vpcs.put(vpc.id, vpc);
    // Every VPC comes with its main route table and the local route.
    RouteTable main = tagged(new RouteTable(), "rtb", region, Map.of());
    main.vpcId = vpc.id;
    Route local = new Route();
    local.destinationCidrBlock = cidr;
    local.gatewayId = "local";
    local.origin = "CreateRouteTable";
    main.routes.add(local);
    Association association = new Association();
    association.id = newId("rtbassoc");
    main.associations.add(association);
    state.routeTables.put(main.id, main);
    changed.run();
    return vpc;
  }

  public synchronized List<Vpc> describeVpcs(
      String region, List<String> ids, Map<String, List<String>> filters) {
    advance();
    return describe(state.vpcs, region, ids, filters, "InvalidVpcID.NotFound", "VPC");
  }

  public synchronized void deleteVpc(String vpcId) {
    advance();
    Vpc vpc = found(state.vpcs, vpcId, "InvalidVpcID.NotFound", "VPC");
    boolean dependencies =
        state.subnets.values().stream().anyMatch(s -> s.vpcId.equals(vpcId))
            || state.internetGateways.values().stream().anyMatch(g -> vpcId.equals(g.vpcId))
            || state.natGateways.values().stream()
                .anyMatch(n -> n.vpcId.equals(vpcId) && !n.state.equals("deleted"))
            || state.routeTables.values().stream().anyMatch(r -> r.vpcId.equals(vpcId) && !r.main())
            || state.securityGroups.values().stream().anyMatch(g -> g.vpcId.equals(vpcId));
    if (dependencies) {
      throw dependencyViolation("vpc", vpcId);
    }
    state.routeTables.values().removeIf(r -> r.vpcId.equals(vpc.id));
    state.vpcs.remove(vpcId);
    changed.run();
  }

  /** ModifyVpcAttribute: one of the DNS attributes per call, as AWS takes it. */
  public synchronized void modifyVpcAttribute(
      String vpcId, Boolean enableDnsSupport, Boolean enableDnsHostnames) {
    Vpc vpc = found(state.vpcs, vpcId, "InvalidVpcID.NotFound", "VPC");
    if ((enableDnsSupport == null) == (enableDnsHostnames == null)) {
      throw AwsError.client(
          "InvalidParameterCombination",
          "Exactly one of EnableDnsSupport and EnableDnsHostnames must be given.");
    }
    if (enableDnsSupport != null) {
      vpc.enableDnsSupport = enableDnsSupport;
    } else {
      vpc.enableDnsHostnames = enableDnsHostnames;
    }
    changed.run();
  }

  // ---- security groups ----

  public synchronized SecurityGroup createSecurityGroup(
      String region, String vpcId, String name, String description, Map<String, String> tags) {
    advance();
    found(state.vpcs, vpcId, "InvalidVpcID.NotFound", "VPC");
    if (name == null || description == null) {
      throw AwsError.client(
          "MissingParameter", "GroupName and GroupDescription are required for a security group");
    }
    if (state.securityGroups.values().stream()
        .anyMatch(g -> g.vpcId.equals(vpcId) && g.groupName.equals(name))) {
      throw AwsError.client(
          "InvalidGroup.Duplicate",
          "The security group '" + name + "' already exists for VPC '" + vpcId + "'");
    }
    SecurityGroup group = tagged(new SecurityGroup(), "sg", region, tags);
    group.vpcId = vpcId;
    group.groupName = name;
    group.description = description;
    state.securityGroups.put(group.id, group);
    changed.run();
    return group;
  }

  public synchronized List<SecurityGroup> describeSecurityGroups(
      String region, List<String> ids, Map<String, List<String>> filters) {
    advance();
    return describe(
        state.securityGroups, region, ids, filters, "InvalidGroup.NotFound", "security group");
  }

  public synchronized void deleteSecurityGroup(String groupId) {
    advance();
    found(state.securityGroups, groupId, "InvalidGroup.NotFound", "security group");
    state.securityGroups.remove(groupId);
    changed.run();
  }

  // ---- subnets ----

  public synchronized Subnet createSubnet(
      String region, String vpcId, String cidr, String zone, Map<String, String> tags) {
    advance();
    found(state.vpcs, vpcId, "InvalidVpcID.NotFound", "VPC");
    checkCidr(cidr);
    for (Subnet other : state.subnets.values()) {
      if (other.vpcId.equals(vpcId) && overlaps(other.cidrBlock, cidr)) {
        throw AwsError.client(
            "InvalidSubnet.Conflict", "The CIDR '" + cidr + "' conflicts with another subnet");
      }
    }
    if (zone == null) {
      zone = zones(region).get(state.subnets.size() % 3);
    } else if (!zones(region).contains(zone)) {
      throw AwsError.client(
          "InvalidParameterValue",
          "Value ("
              + zone
              + ") for parameter availabilityZone is invalid. Subnets can currently"
              + " only be created in the following availability zones: "
              + String.join(", ", zones(region))
              + ".");
    }
    Subnet subnet = tagged(new Subnet(), "subnet", region, tags);
    subnet.vpcId = vpcId;
    subnet.cidrBlock = cidr;
    subnet.availabilityZone = zone;
    state.subnets.put(subnet.id, subnet);
    changed.run();
    return subnet;
  }

  public synchronized List<Subnet> describeSubnets(
      String region, List<String> ids, Map<String, List<String>> filters) {
    advance();
    return describe(state.subnets, region, ids, filters, "InvalidSubnetID.NotFound", "subnet");
  }

  public synchronized void mapPublicIpOnLaunch(String subnetId, boolean value) {
    found(state.subnets, subnetId, "InvalidSubnetID.NotFound", "subnet").mapPublicIpOnLaunch =
        value;
    changed.run();
  }

  public synchronized void deleteSubnet(String subnetId) {
    advance();
    found(state.subnets, subnetId, "InvalidSubnetID.NotFound", "subnet");
    if (state.natGateways.values().stream()
        .anyMatch(n -> n.subnetId.equals(subnetId) && !n.state.equals("deleted"))) {
      throw dependencyViolation("subnet", subnetId);
    }
    state.subnets.remove(subnetId);
    // AWS drops the subnet's route table associations with it.
    state
        .routeTables
        .values()
        .forEach(r -> r.associations.removeIf(a -> subnetId.equals(a.subnetId)));
    changed.run();
  }

  // ---- internet gateways ----

  public synchronized InternetGateway createInternetGateway(
      String region, Map<String, String> tags) {
    InternetGateway gateway = tagged(new InternetGateway(), "igw", region, tags);
    state.internetGateways.put(gateway.id, gateway);
    changed.run();
    return gateway;
  }

  public synchronized List<InternetGateway> describeInternetGateways(
      String region, List<String> ids, Map<String, List<String>> filters) {
    advance();
    return describe(
        state.internetGateways,
        region,
        ids,
        filters,
        "InvalidInternetGatewayID.NotFound",
        "internet gateway");
  }

  public synchronized void attachInternetGateway(String gatewayId, String vpcId) {
    InternetGateway gateway = internetGateway(gatewayId);
    found(state.vpcs, vpcId, "InvalidVpcID.NotFound", "VPC");
    if (gateway.vpcId != null) {
      throw AwsError.client(
          "Resource.AlreadyAssociated",
          "resource " + gatewayId + " is already attached to network " + gateway.vpcId);
    }
    if (state.internetGateways.values().stream().anyMatch(g -> vpcId.equals(g.vpcId))) {
      throw AwsError.client(
          "InvalidParameterValue",
          "Network " + vpcId + " already has an internet gateway attached");
    }
    gateway.vpcId = vpcId;
    changed.run();
  }

  public synchronized void detachInternetGateway(String gatewayId, String vpcId) {
    InternetGateway gateway = internetGateway(gatewayId);
    if (!vpcId.equals(gateway.vpcId)) {
      throw AwsError.client(
          "Gateway.NotAttached", "resource " + gatewayId + " is not attached to network " + vpcId);
    }
    gateway.vpcId = null;
    changed.run();
  }

  public synchronized void deleteInternetGateway(String gatewayId) {
    InternetGateway gateway = internetGateway(gatewayId);
    if (gateway.vpcId != null) {
      throw dependencyViolation("internetGateway", gatewayId);
    }
    state.internetGateways.remove(gatewayId);
    changed.run();
  }

  private InternetGateway internetGateway(String id) {
    return found(
        state.internetGateways, id, "InvalidInternetGatewayID.NotFound", "internet gateway");
  }

  // ---- Elastic IPs ----

  public synchronized Address allocateAddress(String region, Map<String, String> tags) {
    Address address = tagged(new Address(), "eipalloc", region, tags);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    // Documentation addresses (RFC 5737): they look real and route nowhere.
    address.publicIp = "203.0.113." + random.nextInt(1, 255);
    state.addresses.put(address.id, address);
    changed.run();
    return address;
  }

  public synchronized List<Address> describeAddresses(
      String region, List<String> ids, Map<String, List<String>> filters) {
    advance();
    return describe(
        state.addresses, region, ids, filters, "InvalidAllocationID.NotFound", "address");
  }

  public synchronized void releaseAddress(String allocationId) {
    advance();
    Address address = address(allocationId);
    if (address.natGatewayId != null) {
      throw AwsError.client(
          "InvalidIPAddress.InUse", "Address " + address.publicIp + " is in use.");
    }
    state.addresses.remove(allocationId);
    changed.run();
  }

  private Address address(String id) {
    Address address = state.addresses.get(id);
    if (address == null) {
      throw AwsError.client(
          "InvalidAllocationID.NotFound", "The allocation ID '" + id + "' does not exist");
    }
    return address;
  }

  // ---- NAT gateways ----

  public synchronized NatGateway createNatGateway(
      String region, String subnetId, String allocationId, Map<String, String> tags) {
    advance();
    Subnet subnet = found(state.subnets, subnetId, "InvalidSubnetID.NotFound", "subnet");
    Address address = address(allocationId);
    if (address.natGatewayId != null) {
      throw AwsError.client(
          "Resource.AlreadyAssociated",
          "Elastic IP address [" + allocationId + "] is already associated");
    }
    NatGateway nat = tagged(new NatGateway(), "nat", region, tags);
    nat.subnetId = subnetId;
    nat.vpcId = subnet.vpcId;
    nat.allocationId = allocationId;
    nat.publicIp = address.publicIp;
    nat.privateIp = privateIp(subnet.cidrBlock);
    nat.state = "pending";
    nat.createTime = clock.millis();
    nat.dueAt = nat.createTime + latency.of("ec2.CREATE_NAT_GATEWAY").toMillis();
    operations.add(new AwsOperation("ec2.CREATE_NAT_GATEWAY", nat.id, nat.createTime, nat.dueAt));
    address.natGatewayId = nat.id;
    state.natGateways.put(nat.id, nat);
    changed.run();
    return nat;
  }

  public synchronized List<NatGateway> describeNatGateways(
      String region, List<String> ids, Map<String, List<String>> filters) {
    advance();
    return describe(state.natGateways, region, ids, filters, "NatGatewayNotFound", "NAT gateway");
  }

  /** Starts deleting; the gateway answers {@code deleting}, later {@code deleted}. */
  public synchronized NatGateway deleteNatGateway(String id) {
    advance();
    NatGateway nat = state.natGateways.get(id);
    if (nat == null || nat.state.equals("deleted")) {
      throw AwsError.client("NatGatewayNotFound", "NAT gateway " + id + " was not found");
    }
    if (!nat.state.equals("deleting")) {
      long now = clock.millis();
      nat.state = "deleting";
      nat.dueAt = now + latency.of("ec2.DELETE_NAT_GATEWAY").toMillis();
      operations.add(new AwsOperation("ec2.DELETE_NAT_GATEWAY", id, now, nat.dueAt));
      changed.run();
    }
    return nat;
  }

  // ---- route tables ----

  public synchronized RouteTable createRouteTable(
      String region, String vpcId, Map<String, String> tags) {
    Vpc vpc = found(state.vpcs, vpcId, "InvalidVpcID.NotFound", "VPC");
    RouteTable table = tagged(new RouteTable(), "rtb", region, tags);
    table.vpcId = vpcId;
    Route local = new Route();
    local.destinationCidrBlock = vpc.cidrBlock;
    local.gatewayId = "local";
    local.origin = "CreateRouteTable";
    table.routes.add(local);
    state.routeTables.put(table.id, table);
    changed.run();
    return table;
  }

  public synchronized List<RouteTable> describeRouteTables(
      String region, List<String> ids, Map<String, List<String>> filters) {
    advance();
    return describe(
        state.routeTables, region, ids, filters, "InvalidRouteTableID.NotFound", "route table");
  }

  public synchronized void createRoute(
      String tableId, String destination, String gatewayId, String natGatewayId) {
    advance();
    RouteTable table = routeTable(tableId);
    if (gatewayId != null) {
      InternetGateway gateway = internetGateway(gatewayId);
      if (!table.vpcId.equals(gateway.vpcId)) {
        throw AwsError.client(
            "InvalidParameterValue",
            "route table "
                + tableId
                + " and network gateway "
                + gatewayId
                + " belong to different networks");
      }
    } else if (natGatewayId != null) {
      NatGateway nat = state.natGateways.get(natGatewayId);
      if (nat == null || nat.gone()) {
        throw AwsError.client(
            "InvalidNatGatewayID.NotFound",
            "The natGateway ID '" + natGatewayId + "' does not exist");
      }
    } else {
      throw AwsError.client(
          "InvalidParameterCombination", "No route target specified: a gateway or NAT gateway");
    }
    if (table.routes.stream().anyMatch(r -> r.destinationCidrBlock.equals(destination))) {
      throw AwsError.client(
          "RouteAlreadyExists", "The route identified by " + destination + " already exists.");
    }
    Route route = new Route();
    route.destinationCidrBlock = destination;
    route.gatewayId = gatewayId;
    route.natGatewayId = natGatewayId;
    route.origin = "CreateRoute";
    table.routes.add(route);
    changed.run();
  }

  /** Associates a subnet; answers the association id. */
  public synchronized String associateRouteTable(String tableId, String subnetId) {
    RouteTable table = routeTable(tableId);
    Subnet subnet = found(state.subnets, subnetId, "InvalidSubnetID.NotFound", "subnet");
    if (!subnet.vpcId.equals(table.vpcId)) {
      throw AwsError.client(
          "InvalidParameterValue",
          "Route table " + tableId + " and subnet " + subnetId + " belong to different networks");
    }
    boolean associated =
        state.routeTables.values().stream()
            .flatMap(r -> r.associations.stream())
            .anyMatch(a -> subnetId.equals(a.subnetId));
    if (associated) {
      throw AwsError.client(
          "Resource.AlreadyAssociated",
          "the specified association for route table "
              + tableId
              + " conflicts with an existing"
              + " association");
    }
    Association association = new Association();
    association.id = newId("rtbassoc");
    association.subnetId = subnetId;
    table.associations.add(association);
    changed.run();
    return association.id;
  }

  public synchronized void disassociateRouteTable(String associationId) {
    for (RouteTable table : state.routeTables.values()) {
      for (Association a : table.associations) {
        if (a.id.equals(associationId)) {
          if (a.main()) {
            throw AwsError.client(
                "InvalidParameterValue",
                "cannot disassociate the main route table association " + associationId);
          }
          table.associations.remove(a);
          changed.run();
          return;
        }
      }
    }
    throw AwsError.client(
        "InvalidAssociationID.NotFound",
        "The association ID '" + associationId + "' does not exist");
  }

  public synchronized void deleteRouteTable(String tableId) {
    RouteTable table = routeTable(tableId);
    if (!table.associations.isEmpty()) {
      throw dependencyViolation("routeTable", tableId);
    }
    state.routeTables.remove(tableId);
    changed.run();
  }

  private RouteTable routeTable(String id) {
    return found(state.routeTables, id, "InvalidRouteTableID.NotFound", "route table");
  }

  // ---- launch templates ----

  public synchronized LaunchTemplate createLaunchTemplate(
      String region, String name, ObjectNode data, Map<String, String> tags) {
    if (state.launchTemplates.values().stream().anyMatch(t -> t.name.equals(name))) {
      throw AwsError.client(
          "InvalidLaunchTemplateName.AlreadyExistsException",
          "Launch template name already in use.");
    }
    LaunchTemplate template = tagged(new LaunchTemplate(), "lt", region, tags);
    template.name = name;
    template.createTime = clock.millis();
    template.data = data;
    state.launchTemplates.put(template.id, template);
    changed.run();
    return template;
  }

  /** Launch templates by id and by name; names that do not exist are an error, as on AWS. */
  public synchronized List<LaunchTemplate> describeLaunchTemplates(
      String region, List<String> ids, List<String> names, Map<String, List<String>> filters) {
    List<LaunchTemplate> found =
        describe(
            state.launchTemplates,
            region,
            ids,
            filters,
            "InvalidLaunchTemplateId.NotFound",
            "launch template");
    if (names.isEmpty()) {
      return found;
    }
    for (String name : names) {
      if (found.stream().noneMatch(t -> t.name.equals(name))) {
        throw AwsError.client(
            "InvalidLaunchTemplateName.NotFoundException",
            "At least one of the launch templates specified in the request does not exist.");
      }
    }
    return found.stream().filter(t -> names.contains(t.name)).toList();
  }

  public synchronized LaunchTemplate deleteLaunchTemplate(String id, String name) {
    LaunchTemplate template =
        state.launchTemplates.values().stream()
            .filter(t -> t.id.equals(id) || t.name.equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    id != null
                        ? AwsError.client(
                            "InvalidLaunchTemplateId.NotFound",
                            "The specified launch template, with template ID "
                                + id
                                + ", does not exist.")
                        : AwsError.client(
                            "InvalidLaunchTemplateName.NotFoundException",
                            "The specified launch template, with template name "
                                + name
                                + ", does not exist."));
    state.launchTemplates.remove(template.id);
    changed.run();
    return template;
  }

  /** A launch template by id or name, for EKS node groups that name one. */
  public synchronized java.util.Optional<LaunchTemplate> launchTemplate(String id, String name) {
    return state.launchTemplates.values().stream()
        .filter(t -> t.id.equals(id) || t.name.equals(name))
        .findFirst();
  }

  /** A subnet by id, for EKS clusters and node groups that name them. */
  public synchronized java.util.Optional<Subnet> subnet(String id) {
    return java.util.Optional.ofNullable(state.subnets.get(id));
  }

  // ---- tags ----

  public synchronized void createTags(List<String> resourceIds, Map<String, String> tags) {
    for (String id : resourceIds) {
      resource(id).tags.putAll(tags);
    }
    changed.run();
  }

  /** Deletes tags by key; with a value, only where the value matches, as EC2 does. */
  public synchronized void deleteTags(List<String> resourceIds, Map<String, String> tags) {
    for (String id : resourceIds) {
      Resource resource = resource(id);
      tags.forEach(
          (k, v) -> {
            if (v == null || v.equals(resource.tags.get(k))) {
              resource.tags.remove(k);
            }
          });
    }
    changed.run();
  }

  private Resource resource(String id) {
    for (Map<String, ? extends Resource> kind : kinds()) {
      Resource r = kind.get(id);
      if (r != null) {
        return r;
      }
    }
    String prefix = id.contains("-") ? id.substring(0, id.indexOf('-')) : id;
    String code =
        switch (prefix) {
          case "vpc" -> "InvalidVpcID.NotFound";
          case "subnet" -> "InvalidSubnetID.NotFound";
          case "igw" -> "InvalidInternetGatewayID.NotFound";
          case "rtb" -> "InvalidRouteTableID.NotFound";
          case "nat" -> "NatGatewayNotFound";
          case "eipalloc" -> "InvalidAllocationID.NotFound";
          case "sg" -> "InvalidGroup.NotFound";
          default -> "InvalidID";
        };
    throw AwsError.client(code, "The ID '" + id + "' does not exist");
  }

  private List<Map<String, ? extends Resource>> kinds() {
    return List.of(
        state.vpcs,
        state.subnets,
        state.internetGateways,
        state.addresses,
        state.natGateways,
        state.routeTables,
        state.launchTemplates,
        state.securityGroups);
  }

  // ---- lifecycle ----

  /** Finishes the NAT gateway transitions that are due. */
  private void advance() {
    long now = clock.millis();
    for (NatGateway nat : state.natGateways.values()) {
      if (nat.dueAt == 0 || nat.dueAt > now) {
        continue;
      }
      if (nat.state.equals("pending")) {
        nat.state = "available";
      } else if (nat.state.equals("deleting")) {
        nat.state = "deleted";
        nat.deleteTime = nat.dueAt;
        Address address = state.addresses.get(nat.allocationId);
        if (address != null && nat.id.equals(address.natGatewayId)) {
          address.natGatewayId = null;
        }
      }
      nat.dueAt = 0;
      changed.run();
    }
  }

  // ---- the common parts of Describe* ----

  /**
   * The resources of the region with the given ids (all when none is given; an id that does not
   * exist is {@code notFound}), that pass every filter: a filter matches when any of its values
   * equals any of the resource's values for it; {@code *} matches any run of characters.
   */
  private static <R extends Resource> List<R> describe(
      Map<String, R> all,
      String region,
      List<String> ids,
      Map<String, List<String>> filters,
      String notFound,
      String what) {
    List<R> chosen = new ArrayList<>();
    if (ids.isEmpty()) {
      all.values().stream().filter(r -> region.equals(r.region)).forEach(chosen::add);
    } else {
      for (String id : ids) {
        R r = all.get(id);
        if (r == null || !region.equals(r.region)) {
          throw AwsError.client(notFound, "The " + what + " ID '" + id + "' does not exist");
        }
        chosen.add(r);
      }
    }
    Predicate<R> matches =
        r ->
            filters.entrySet().stream()
                .allMatch(
                    f ->
                        r.filterValues(f.getKey()).stream()
                            .anyMatch(v -> f.getValue().stream().anyMatch(p -> glob(p, v))));
    return chosen.stream().filter(matches).toList();
  }

  private static boolean glob(String pattern, String value) {
    if (!pattern.contains("*") && !pattern.contains("?")) {
      return pattern.equals(value);
    }
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
      }
    }
    return value.matches(regex.toString());
  }

  private static <R extends Resource> R found(
      Map<String, R> all, String id, String code, String what) {
    R r = id == null ? null : all.get(id);
    if (r == null) {
      throw AwsError.client(code, "The " + what + " ID '" + id + "' does not exist");
    }
    return r;
  }

  private static AwsError dependencyViolation(String kind, String id) {
    return AwsError.client(
        "DependencyViolation",
        "The " + kind + " '" + id + "' has dependencies and cannot be deleted.");
  }

  private <R extends Resource> R tagged(
      R resource, String prefix, String region, Map<String, String> tags) {
    resource.id = newId(prefix);
    resource.region = region;
    resource.tags.putAll(tags);
    return resource;
  }

  private String newId(String prefix) {
    Set<String> taken = new HashSet<>();
    kinds().forEach(k -> taken.addAll(k.keySet()));
    String id;
    do {
      id =
          prefix
              + "-"
              + String.format("%017x", ThreadLocalRandom.current().nextLong() & 0xfffffffffffffffL)
                  .substring(0, 17);
    } while (taken.contains(id));
    return id;
  }

  private static void checkCidr(String cidr) {
    if (cidr == null || !cidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
      throw AwsError.client(
          "InvalidParameterValue", "Value (" + cidr + ") for parameter cidrBlock is invalid.");
    }
  }

  private static boolean overlaps(String a, String b) {
    long[] x = range(a);
    long[] y = range(b);
    return x[0] <= y[1] && y[0] <= x[1];
  }

  private static long[] range(String cidr) {
    String[] parts = cidr.split("/");
    long ip = 0;
    for (String octet : parts[0].split("\\.")) {
      ip = ip << 8 | Long.parseLong(octet);
    }
    int bits = Integer.parseInt(parts[1]);
    long size = 1L << (32 - bits);
    long start = ip & ~(size - 1) & 0xffffffffL;
    return new long[] {start, start + size - 1};
  }

  private static String privateIp(String cidr) {
    long start = range(cidr)[0] + 4 + ThreadLocalRandom.current().nextInt(100);
    return (start >> 24 & 255)
        + "."
        + (start >> 16 & 255)
        + "."
        + (start >> 8 & 255)
        + "."
        + (start & 255);
  }

  /** When each NAT gateway create or delete since start started and ended. */
  public synchronized List<OperationTiming> timings() {
    long now = clock.millis();
    return operations.stream().map(o -> o.timing(now)).toList();
  }

  // ---- EmulatedService ----

  @Override
  public String key() {
    return "ec2";
  }

  @Override
  public synchronized JsonNode snapshot() {
    return Json.MAPPER.valueToTree(state);
  }

  @Override
  public synchronized void restore(JsonNode snapshot, boolean serve) {
    state =
        snapshot == null || snapshot.isMissingNode() || snapshot.isNull()
            ? new Ec2Network.State()
            : Json.MAPPER.convertValue(snapshot, Ec2Network.State.class);
  }

  @Override
  public synchronized List<String> inventory() {
    advance();
    List<String> lines = new ArrayList<>();
    state.vpcs.values().forEach(v -> lines.add(line("vpc", v, v.cidrBlock)));
    state
        .subnets
        .values()
        .forEach(
            s ->
                lines.add(
                    line("subnet", s, s.vpcId + " " + s.availabilityZone + " " + s.cidrBlock)));
    state
        .internetGateways
        .values()
        .forEach(
            g -> lines.add(line("internet-gateway", g, g.vpcId == null ? "detached" : g.vpcId)));
    state.addresses.values().forEach(a -> lines.add(line("address", a, a.publicIp)));
    state.natGateways.values().stream()
        .filter(n -> !n.state.equals("deleted"))
        .forEach(n -> lines.add(line("nat-gateway", n, n.subnetId + " " + n.state)));
    state.routeTables.values().stream()
        .filter(r -> !r.main())
        .forEach(r -> lines.add(line("route-table", r, r.vpcId)));
    state.launchTemplates.values().forEach(t -> lines.add(line("launch-template", t, t.name)));
    state
        .securityGroups
        .values()
        .forEach(g -> lines.add(line("security-group", g, g.vpcId + " " + g.groupName)));
    return lines;
  }

  private static String line(String kind, Resource r, String details) {
    String name = r.tags.get("Name");
    return "ec2 "
        + r.region
        + " "
        + kind
        + " "
        + r.id
        + " "
        + details
        + (name == null ? "" : " (" + name + ")");
  }

  @Override
  public synchronized void clear() {
    operations.clear();
    state = new Ec2Network.State();
  }
}
