package io.refarch.activities.eks.network;

import io.refarch.activities.Caller;
import io.refarch.activities.ConfigurationErrors;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.activities.eks.AwsErrors;
import io.refarch.activities.eks.Ownership;
import io.refarch.activities.eks.Waiter;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.eks.NetworkRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.AvailabilityZoneState;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NatGatewayState;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * The VPC eksctl builds for a cluster, one resource at a time, each found by its tags before it is
 * made: the VPC, an internet gateway, a public and a private subnet per zone, Elastic IPs and NAT
 * gateways, a public route table and one private route table per zone, and the control plane's
 * security group. Every resource carries the cluster's {@link Ownership} tags and a {@link #PART}
 * tag saying which part of the network it is; a delete removes only what its caller may.
 */
public final class NetworkReconciler {
  /** Which part of the cluster's network a resource is, e.g. {@code subnet/public/us-west-2a}. */
  public static final String PART = "refarch.io/part";

  static final String VPC = "vpc";
  static final String INTERNET_GATEWAY = "internet-gateway";
  static final String PUBLIC_ROUTES = "route-table/public";
  static final String CONTROL_PLANE_SG = "security-group/control-plane";

  /** How long a delete blocked by a dependency (a load balancer's interface, say) is retried. */
  static final Duration DEPENDENCY_WAIT = Duration.ofMinutes(5);

  private final Ec2Client ec2;
  private final Waiter waiter;
  private final Clock clock;
  private final Duration dependencyWait;

  public NetworkReconciler(Ec2Client ec2, Waiter waiter) {
    this(ec2, waiter, Clock.systemUTC(), DEPENDENCY_WAIT);
  }

  public NetworkReconciler(Ec2Client ec2, Waiter waiter, Clock clock, Duration dependencyWait) {
    this.ec2 = ec2;
    this.waiter = waiter;
    this.clock = clock;
    this.dependencyWait = dependencyWait;
  }

  /** The zones to use: the spec's, or the region's first three available ones (eksctl's count). */
  public List<String> zones(List<String> wanted) {
    if (wanted != null && !wanted.isEmpty()) {
      return wanted;
    }
    try {
      return ec2
          .describeAvailabilityZones(r -> r.filters(filter("zone-type", "availability-zone")))
          .availabilityZones()
          .stream()
          .filter(z -> z.state() == AvailabilityZoneState.AVAILABLE)
          .map(AvailabilityZone::zoneName)
          .sorted()
          .limit(3)
          .toList();
    } catch (SdkException e) {
      throw AwsErrors.translate("listing the region's availability zones", e);
    }
  }

  /** Creates what is missing of {@code plan}, adopting what exists with the cluster's tags. */
  public NetworkRef ensure(
      String cluster, NetworkPlan plan, Map<String, String> tags, Heartbeat heartbeat) {
    String doing = "creating the VPC of cluster " + cluster;
    try {
      Vpc vpc = ensureVpc(cluster, plan, tags);
      String vpcId = vpc.vpcId();
      // EKS's private endpoint is resolved through the VPC's DNS: both attributes must be on. Set
      // every time: an attempt that died after CreateVpc may not have set them.
      ec2.modifyVpcAttribute(r -> r.vpcId(vpcId).enableDnsSupport(on()));
      ec2.modifyVpcAttribute(r -> r.vpcId(vpcId).enableDnsHostnames(on()));
      heartbeat.beat("vpc " + vpcId);
      String igw = ensureInternetGateway(cluster, vpcId, tags);
      Map<String, String> subnetIds = new LinkedHashMap<>();
      for (NetworkPlan.Subnet s : plan.subnets()) {
        subnetIds.put(s.part(), ensureSubnet(cluster, vpcId, s, tags));
        heartbeat.beat(s.part() + " " + subnetIds.get(s.part()));
      }
      String publicRoutes = ensureRouteTable(cluster, vpcId, PUBLIC_ROUTES, tags);
      ensureDefaultRoute(publicRoutes, igw, null);
      for (NetworkPlan.Subnet s : plan.publicSubnets()) {
        ensureAssociation(publicRoutes, subnetIds.get(s.part()));
      }
      Map<String, String> nats = new LinkedHashMap<>();
      for (String zone : plan.natZones()) {
        String subnet = subnetIds.get(new NetworkPlan.Subnet(zone, true, "").part());
        nats.put(zone, ensureNatGateway(cluster, vpcId, zone, subnet, tags, heartbeat));
      }
      for (NetworkPlan.Subnet s : plan.privateSubnets()) {
        String table = ensureRouteTable(cluster, vpcId, "route-table/private/" + s.zone(), tags);
        String nat = nats.get(plan.natZoneFor(s.zone()));
        if (nat != null) {
          ensureDefaultRoute(table, null, nat);
        }
        ensureAssociation(table, subnetIds.get(s.part()));
        heartbeat.beat("route-table/private/" + s.zone() + " " + table);
      }
      String sg = ensureControlPlaneSecurityGroup(cluster, vpcId, tags);
      return new NetworkRef(
          vpcId,
          plan.publicSubnets().stream().map(s -> subnetIds.get(s.part())).toList(),
          plan.privateSubnets().stream().map(s -> subnetIds.get(s.part())).toList(),
          sg);
    } catch (SdkException e) {
      throw AwsErrors.translate(doing, e);
    }
  }

  /** The cluster's network as it exists (for node groups of a run that resumed). */
  public Optional<String> vpcId(String cluster) {
    try {
      return find(cluster, VPC).map(Vpc::vpcId);
    } catch (SdkException e) {
      throw AwsErrors.translate("reading the VPC of cluster " + cluster, e);
    }
  }

  /**
   * Deletes, in reverse, what the caller may of the cluster's network: NAT gateways (waited until
   * deleted, they hold their Elastic IPs and subnets), Elastic IPs, subnets, route tables, the
   * security group, the internet gateway, the VPC. Returns what was kept and why.
   */
  public List<String> delete(String cluster, Caller caller, Heartbeat heartbeat) {
    String doing = "deleting the VPC of cluster " + cluster;
    List<String> kept = new ArrayList<>();
    try {
      List<NatGateway> nats =
          ec2.describeNatGateways(r -> r.filter(owned(cluster))).natGateways().stream()
              .filter(n -> n.state() != NatGatewayState.DELETED)
              .toList();
      List<NatGateway> deleting = new ArrayList<>();
      for (NatGateway nat : nats) {
        if (mayDelete(
            map(nat.tags()), cluster, caller, "NAT gateway " + nat.natGatewayId(), kept)) {
          deleting.add(nat);
          if (nat.state() != NatGatewayState.DELETING) {
            ignoreNotFound(() -> ec2.deleteNatGateway(r -> r.natGatewayId(nat.natGatewayId())));
          }
        }
      }
      // A NAT gateway holds its Elastic IP and an interface in its subnet until it is gone.
      for (NatGateway nat : deleting) {
        waiter.until(
            heartbeat,
            "ec2.DELETE_NAT_GATEWAY",
            "waiting for NAT gateway " + nat.natGatewayId() + " to be deleted",
            () -> natGone(nat.natGatewayId()));
      }
      for (Address eip : ec2.describeAddresses(r -> r.filters(owned(cluster))).addresses()) {
        if (mayDelete(map(eip.tags()), cluster, caller, "Elastic IP " + eip.publicIp(), kept)) {
          retryDependencies(
              heartbeat,
              "Elastic IP " + eip.allocationId(),
              null,
              () -> ec2.releaseAddress(r -> r.allocationId(eip.allocationId())));
        }
      }
      Optional<Vpc> vpc = find(cluster, VPC);
      String vpcId = vpc.map(Vpc::vpcId).orElse(null);
      for (Subnet s : ec2.describeSubnets(r -> r.filters(owned(cluster))).subnets()) {
        if (mayDelete(map(s.tags()), cluster, caller, "subnet " + s.subnetId(), kept)) {
          retryDependencies(
              heartbeat,
              "subnet " + s.subnetId(),
              filter("subnet-id", s.subnetId()),
              () -> ec2.deleteSubnet(r -> r.subnetId(s.subnetId())));
        }
      }
      for (RouteTable t : ec2.describeRouteTables(r -> r.filters(owned(cluster))).routeTables()) {
        if (mayDelete(map(t.tags()), cluster, caller, "route table " + t.routeTableId(), kept)) {
          for (RouteTableAssociation a : t.associations()) {
            if (!Boolean.TRUE.equals(a.main()) && a.routeTableAssociationId() != null) {
              ignoreNotFound(
                  () ->
                      ec2.disassociateRouteTable(
                          r -> r.associationId(a.routeTableAssociationId())));
            }
          }
          ignoreNotFound(() -> ec2.deleteRouteTable(r -> r.routeTableId(t.routeTableId())));
        }
      }
      for (SecurityGroup g :
          ec2.describeSecurityGroups(r -> r.filters(owned(cluster))).securityGroups()) {
        if (mayDelete(map(g.tags()), cluster, caller, "security group " + g.groupId(), kept)) {
          retryDependencies(
              heartbeat,
              "security group " + g.groupId(),
              filter("group-id", g.groupId()),
              () -> ec2.deleteSecurityGroup(r -> r.groupId(g.groupId())));
        }
      }
      for (InternetGateway igw :
          ec2.describeInternetGateways(r -> r.filters(owned(cluster))).internetGateways()) {
        if (mayDelete(
            map(igw.tags()),
            cluster,
            caller,
            "internet gateway " + igw.internetGatewayId(),
            kept)) {
          igw.attachments()
              .forEach(
                  a ->
                      retryDependencies(
                          heartbeat,
                          "internet gateway " + igw.internetGatewayId(),
                          a.vpcId() == null ? null : filter("vpc-id", a.vpcId()),
                          () ->
                              ec2.detachInternetGateway(
                                  r ->
                                      r.internetGatewayId(igw.internetGatewayId())
                                          .vpcId(a.vpcId()))));
          ignoreNotFound(
              () -> ec2.deleteInternetGateway(r -> r.internetGatewayId(igw.internetGatewayId())));
        }
      }
      if (vpcId != null
          && mayDelete(map(vpc.get().tags()), cluster, caller, "VPC " + vpcId, kept)) {
        retryDependencies(
            heartbeat,
            "VPC " + vpcId,
            filter("vpc-id", vpcId),
            () -> ec2.deleteVpc(r -> r.vpcId(vpcId)));
      }
      return kept;
    } catch (SdkException e) {
      throw AwsErrors.translate(doing, e);
    }
  }

  // ---- ensure, one resource each ----

  private Vpc ensureVpc(String cluster, NetworkPlan plan, Map<String, String> tags) {
    Optional<Vpc> existing = find(cluster, VPC);
    if (existing.isPresent()) {
      if (!existing.get().cidrBlock().equals(plan.vpcCidr())) {
        throw Failures.permanent(
            FailureTypes.SPEC_MISMATCH,
            "the VPC "
                + existing.get().vpcId()
                + " of cluster "
                + cluster
                + " has CIDR "
                + existing.get().cidrBlock()
                + ", the spec says "
                + plan.vpcCidr());
      }
      return existing.get();
    }
    Vpc vpc =
        ec2.createVpc(
                r ->
                    r.cidrBlock(plan.vpcCidr())
                        .tagSpecifications(spec(ResourceType.VPC, cluster, VPC, tags)))
            .vpc();
    return vpc;
  }

  private String ensureInternetGateway(String cluster, String vpcId, Map<String, String> tags) {
    InternetGateway igw =
        ec2
            .describeInternetGateways(r -> r.filters(part(cluster, INTERNET_GATEWAY)))
            .internetGateways()
            .stream()
            .filter(g -> isPart(g.tags(), cluster, INTERNET_GATEWAY))
            .findFirst()
            .orElseGet(
                () ->
                    ec2.createInternetGateway(
                            r ->
                                r.tagSpecifications(
                                    spec(
                                        ResourceType.INTERNET_GATEWAY,
                                        cluster,
                                        INTERNET_GATEWAY,
                                        tags)))
                        .internetGateway());
    if (igw.attachments().stream().noneMatch(a -> vpcId.equals(a.vpcId()))) {
      ec2.attachInternetGateway(r -> r.internetGatewayId(igw.internetGatewayId()).vpcId(vpcId));
    }
    return igw.internetGatewayId();
  }

  private String ensureSubnet(
      String cluster, String vpcId, NetworkPlan.Subnet plan, Map<String, String> tags) {
    Optional<Subnet> existing =
        ec2.describeSubnets(r -> r.filters(part(cluster, plan.part()))).subnets().stream()
            .filter(x -> isPart(x.tags(), cluster, plan.part()))
            .findFirst();
    if (existing.isPresent()) {
      Subnet s = existing.get();
      if (!s.cidrBlock().equals(plan.cidr()) || !s.availabilityZone().equals(plan.zone())) {
        throw Failures.permanent(
            FailureTypes.SPEC_MISMATCH,
            "subnet "
                + s.subnetId()
                + " ("
                + plan.part()
                + ") has "
                + s.cidrBlock()
                + " in "
                + s.availabilityZone()
                + ", the plan says "
                + plan.cidr()
                + " in "
                + plan.zone());
      }
      if (plan.isPublic() && !Boolean.TRUE.equals(s.mapPublicIpOnLaunch())) {
        ec2.modifySubnetAttribute(r -> r.subnetId(s.subnetId()).mapPublicIpOnLaunch(on()));
      }
      return s.subnetId();
    }
    Map<String, String> subnetTags = new LinkedHashMap<>(tags);
    subnetTags.putAll(SubnetTags.of(cluster, plan.isPublic()));
    Subnet s =
        ec2.createSubnet(
                r ->
                    r.vpcId(vpcId)
                        .cidrBlock(plan.cidr())
                        .availabilityZone(plan.zone())
                        .tagSpecifications(
                            spec(ResourceType.SUBNET, cluster, plan.part(), subnetTags)))
            .subnet();
    if (plan.isPublic()) {
      ec2.modifySubnetAttribute(r -> r.subnetId(s.subnetId()).mapPublicIpOnLaunch(on()));
    }
    return s.subnetId();
  }

  private String ensureRouteTable(
      String cluster, String vpcId, String part, Map<String, String> tags) {
    return ec2.describeRouteTables(r -> r.filters(part(cluster, part))).routeTables().stream()
        .filter(t -> isPart(t.tags(), cluster, part))
        .findFirst()
        .map(RouteTable::routeTableId)
        .orElseGet(
            () ->
                ec2.createRouteTable(
                        r ->
                            r.vpcId(vpcId)
                                .tagSpecifications(
                                    spec(ResourceType.ROUTE_TABLE, cluster, part, tags)))
                    .routeTable()
                    .routeTableId());
  }

  private void ensureDefaultRoute(String table, String gateway, String nat) {
    RouteTable t =
        ec2.describeRouteTables(r -> r.routeTableIds(table)).routeTables().stream()
            .findFirst()
            .orElseThrow();
    boolean present =
        t.routes().stream().anyMatch(route -> "0.0.0.0/0".equals(route.destinationCidrBlock()));
    if (!present) {
      ec2.createRoute(
          r -> {
            r.routeTableId(table).destinationCidrBlock("0.0.0.0/0");
            if (gateway != null) {
              r.gatewayId(gateway);
            } else {
              r.natGatewayId(nat);
            }
          });
    }
  }

  private void ensureAssociation(String table, String subnet) {
    boolean associated =
        ec2.describeRouteTables(r -> r.routeTableIds(table)).routeTables().stream()
            .flatMap(t -> t.associations().stream())
            .anyMatch(a -> subnet.equals(a.subnetId()));
    if (!associated) {
      ec2.associateRouteTable(r -> r.routeTableId(table).subnetId(subnet));
    }
  }

  private String ensureNatGateway(
      String cluster,
      String vpcId,
      String zone,
      String subnet,
      Map<String, String> tags,
      Heartbeat heartbeat) {
    String part = "nat-gateway/" + zone;
    Optional<NatGateway> existing =
        ec2.describeNatGateways(r -> r.filter(part(cluster, part))).natGateways().stream()
            .filter(n -> isPart(n.tags(), cluster, part))
            .filter(
                n -> n.state() == NatGatewayState.PENDING || n.state() == NatGatewayState.AVAILABLE)
            .findFirst();
    String natId;
    if (existing.isPresent()) {
      natId = existing.get().natGatewayId();
    } else {
      String eipPart = "elastic-ip/" + zone;
      String allocation =
          ec2.describeAddresses(r -> r.filters(part(cluster, eipPart))).addresses().stream()
              .filter(a -> isPart(a.tags(), cluster, eipPart))
              .findFirst()
              .map(Address::allocationId)
              .orElseGet(
                  () ->
                      ec2.allocateAddress(
                              r ->
                                  r.domain(DomainType.VPC)
                                      .tagSpecifications(
                                          spec(ResourceType.ELASTIC_IP, cluster, eipPart, tags)))
                          .allocationId());
      natId =
          ec2.createNatGateway(
                  r ->
                      r.subnetId(subnet)
                          .allocationId(allocation)
                          // The same token on a retried call returns the same gateway; the
                          // run id makes it new for a network made again after a teardown.
                          .clientToken(token(cluster + "/" + part + "/" + tags.get(Ownership.RUN)))
                          .tagSpecifications(spec(ResourceType.NATGATEWAY, cluster, part, tags)))
              .natGateway()
              .natGatewayId();
    }
    String id = natId;
    waiter.until(
        heartbeat,
        "ec2.CREATE_NAT_GATEWAY",
        "waiting for NAT gateway " + id + " in " + zone,
        () -> {
          NatGateway n = ec2.describeNatGateways(r -> r.natGatewayIds(id)).natGateways().get(0);
          if (n.state() == NatGatewayState.FAILED) {
            throw Failures.permanent(
                FailureTypes.OPERATION_FAILED,
                "NAT gateway " + id + " failed: " + n.failureCode() + ": " + n.failureMessage());
          }
          if (n.state() == NatGatewayState.DELETING || n.state() == NatGatewayState.DELETED) {
            throw Failures.retryable(
                Failures.NOT_READY, "NAT gateway " + id + " is being deleted; trying again");
          }
          return n.state() == NatGatewayState.AVAILABLE ? Optional.of(true) : Optional.empty();
        });
    return id;
  }

  private String ensureControlPlaneSecurityGroup(
      String cluster, String vpcId, Map<String, String> tags) {
    return ec2
        .describeSecurityGroups(r -> r.filters(part(cluster, CONTROL_PLANE_SG)))
        .securityGroups()
        .stream()
        .filter(g -> isPart(g.tags(), cluster, CONTROL_PLANE_SG))
        .findFirst()
        .map(SecurityGroup::groupId)
        .orElseGet(
            () ->
                ec2.createSecurityGroup(
                        r ->
                            r.vpcId(vpcId)
                                .groupName(cluster + "-control-plane")
                                .description(
                                    "Communication between the control plane of "
                                        + cluster
                                        + " and its node groups")
                                .tagSpecifications(
                                    spec(
                                        ResourceType.SECURITY_GROUP,
                                        cluster,
                                        CONTROL_PLANE_SG,
                                        tags)))
                    .groupId());
  }

  // ---- delete helpers ----

  private static boolean mayDelete(
      Map<String, String> tags, String cluster, Caller caller, String what, List<String> kept) {
    if (!Ownership.madeFor(tags, cluster)) {
      // Another cluster's, returned by a filter the server did not apply: not ours to mention.
      return false;
    }
    Optional<String> keep = Ownership.keepReason(tags, cluster, caller);
    keep.ifPresent(reason -> kept.add(what + ": " + reason));
    return keep.isEmpty();
  }

  private Optional<Boolean> natGone(String id) {
    List<NatGateway> found = ec2.describeNatGateways(r -> r.natGatewayIds(id)).natGateways();
    return found.isEmpty() || found.get(0).state() == NatGatewayState.DELETED
        ? Optional.of(true)
        : Optional.empty();
  }

  /**
   * Runs a delete that AWS may refuse with DependencyViolation while something still uses the
   * resource (a NAT gateway's interface going away, a load balancer a workload left): tried again
   * for {@link #DEPENDENCY_WAIT}, then failed naming the network interfaces still in it.
   */
  private void retryDependencies(
      Heartbeat heartbeat, String what, Filter blockers, Runnable delete) {
    heartbeat.beat("deleting " + what);
    Instant start = clock.instant();
    while (true) {
      try {
        delete.run();
        return;
      } catch (SdkException e) {
        if (AwsErrors.isNotFound(e)) {
          return;
        }
        if (!AwsErrors.isDependencyViolation(e)) {
          throw e;
        }
        if (Duration.between(start, clock.instant()).compareTo(dependencyWait) >= 0) {
          throw Failures.permanent(
              FailureTypes.FAILED_PRECONDITION,
              what
                  + " cannot be deleted: still in use after "
                  + dependencyWait.toSeconds()
                  + " s"
                  + blockedBy(blockers)
                  + " ("
                  + ConfigurationErrors.redact(
                      AwsErrors.message(
                          (software.amazon.awssdk.awscore.exception.AwsServiceException) e))
                  + "). Delete what uses it (e.g. a LoadBalancer Service's load balancer), then"
                  + " run the teardown again.");
        }
        heartbeat.pause(
            Collections.min(List.of(Duration.ofSeconds(10), dependencyWait)),
            what + " is still in use; trying again");
      }
    }
  }

  private String blockedBy(Filter blockers) {
    if (blockers == null) {
      return "";
    }
    try {
      List<NetworkInterface> enis =
          ec2.describeNetworkInterfaces(r -> r.filters(blockers)).networkInterfaces();
      if (enis.isEmpty()) {
        return "";
      }
      return ", used by "
          + String.join(
              ", ",
              enis.stream()
                  .limit(5)
                  .map(
                      n ->
                          n.networkInterfaceId()
                              + " ("
                              + (n.description() == null || n.description().isEmpty()
                                  ? n.interfaceTypeAsString()
                                  : n.description())
                              + ")")
                  .toList());
    } catch (SdkException e) {
      return "";
    }
  }

  private static void ignoreNotFound(Runnable call) {
    try {
      call.run();
    } catch (SdkException e) {
      if (!AwsErrors.isNotFound(e)) {
        throw e;
      }
    }
  }

  // ---- tags and filters ----

  private Optional<Vpc> find(String cluster, String part) {
    return ec2.describeVpcs(r -> r.filters(part(cluster, part))).vpcs().stream()
        .filter(v -> isPart(v.tags(), cluster, part))
        .findFirst();
  }

  /**
   * The server-side tag filters select; this checks again on what came back, since an emulator
   * (moto's DescribeNatGateways) may ignore a tag filter and return every cluster's resources.
   */
  private static boolean isPart(List<Tag> tags, String cluster, String part) {
    Map<String, String> m = map(tags);
    return Ownership.madeFor(m, cluster) && part.equals(m.get(PART));
  }

  static Filter filter(String name, String value) {
    return Filter.builder().name(name).values(value).build();
  }

  private static Filter[] owned(String cluster) {
    return new Filter[] {filter("tag:" + Ownership.CLUSTER, cluster)};
  }

  private static Filter[] part(String cluster, String part) {
    return new Filter[] {filter("tag:" + Ownership.CLUSTER, cluster), filter("tag:" + PART, part)};
  }

  static TagSpecification spec(
      ResourceType type, String cluster, String part, Map<String, String> tags) {
    List<Tag> list = new ArrayList<>();
    tags.forEach((k, v) -> list.add(Tag.builder().key(k).value(v).build()));
    list.add(Tag.builder().key(PART).value(part).build());
    list.add(Tag.builder().key("Name").value(cluster + "/" + part).build());
    return TagSpecification.builder().resourceType(type).tags(list).build();
  }

  public static Map<String, String> map(List<Tag> tags) {
    Map<String, String> m = new LinkedHashMap<>();
    if (tags != null) {
      tags.forEach(t -> m.put(t.key(), t.value()));
    }
    return m;
  }

  private static AttributeBooleanValue on() {
    return AttributeBooleanValue.builder().value(true).build();
  }

  /** An idempotency token of at most 64 characters, the same for the same resource. */
  static String token(String key) {
    return java.util
        .UUID
        .nameUUIDFromBytes(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }
}
