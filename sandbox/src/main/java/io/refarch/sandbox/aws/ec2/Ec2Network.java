package io.refarch.sandbox.aws.ec2;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The EC2 resources of a network as eksctl builds it, as plain records the state file keeps
 * (Jackson reads and writes their public fields). Their behaviour is {@link Ec2}'s.
 */
public final class Ec2Network {

  private Ec2Network() {}

  /** What every EC2 resource has: its id, its region and its tags. */
  public abstract static class Resource {
    public String id;
    public String region;
    public Map<String, String> tags = new TreeMap<>();

    /**
     * The values a Describe filter of this name sees on the resource, e.g. {@code vpc-id}, {@code
     * tag:Name}; empty for a filter the resource does not have (it matches nothing).
     */
    public List<String> filterValues(String filter) {
      if (filter.startsWith("tag:")) {
        String value = tags.get(filter.substring(4));
        return value == null ? List.of() : List.of(value);
      }
      if (filter.equals("tag-key")) {
        return List.copyOf(tags.keySet());
      }
      return own(filter);
    }

    List<String> own(String filter) {
      return List.of();
    }

    static List<String> of(String value) {
      return value == null ? List.of() : List.of(value);
    }
  }

  public static final class Vpc extends Resource {
    public String cidrBlock;

    /** AWS's defaults for a VPC made with CreateVpc; ModifyVpcAttribute changes them. */
    public boolean enableDnsSupport = true;

    public boolean enableDnsHostnames;

    @Override
    List<String> own(String filter) {
      return switch (filter) {
        case "vpc-id" -> of(id);
        case "cidr", "cidr-block-association.cidr-block" -> of(cidrBlock);
        case "state" -> of("available");
        case "is-default" -> of("false");
        default -> List.of();
      };
    }
  }

  public static final class Subnet extends Resource {
    public String vpcId;
    public String cidrBlock;
    public String availabilityZone;
    public boolean mapPublicIpOnLaunch;

    @Override
    List<String> own(String filter) {
      return switch (filter) {
        case "subnet-id" -> of(id);
        case "vpc-id" -> of(vpcId);
        case "cidr-block", "cidr", "cidrBlock" -> of(cidrBlock);
        case "availability-zone", "availabilityZone" -> of(availabilityZone);
        case "map-public-ip-on-launch" -> of(String.valueOf(mapPublicIpOnLaunch));
        case "state" -> of("available");
        default -> List.of();
      };
    }
  }

  public static final class InternetGateway extends Resource {
    /** The VPC it is attached to; null when detached. */
    public String vpcId;

    @Override
    List<String> own(String filter) {
      return switch (filter) {
        case "internet-gateway-id" -> of(id);
        case "attachment.vpc-id" -> of(vpcId);
        case "attachment.state" -> vpcId == null ? List.of() : List.of("available");
        default -> List.of();
      };
    }
  }

  /** An Elastic IP address; its id is the allocation id. */
  public static final class Address extends Resource {
    public String publicIp;

    /** The NAT gateway holding it, or null. */
    public String natGatewayId;

    public String associationId() {
      return natGatewayId == null ? null : "eipassoc-" + id.substring("eipalloc-".length());
    }

    @Override
    List<String> own(String filter) {
      return switch (filter) {
        case "allocation-id" -> of(id);
        case "public-ip" -> of(publicIp);
        case "domain" -> of("vpc");
        case "association-id" -> of(associationId());
        default -> List.of();
      };
    }
  }

  /** A NAT gateway: {@code pending} → {@code available}, {@code deleting} → {@code deleted}. */
  public static final class NatGateway extends Resource {
    public String subnetId;
    public String vpcId;
    public String allocationId;
    public String publicIp;
    public String privateIp;
    public String connectivityType = "public";
    public String state;
    public long createTime;
    public long deleteTime;

    /** When the state in progress ends (epoch millis); 0 when none is in progress. */
    public long dueAt;

    public boolean gone() {
      return state.equals("deleted") || state.equals("deleting");
    }

    @Override
    List<String> own(String filter) {
      return switch (filter) {
        case "nat-gateway-id" -> of(id);
        case "subnet-id" -> of(subnetId);
        case "vpc-id" -> of(vpcId);
        case "state" -> of(state);
        default -> List.of();
      };
    }
  }

  public static final class Route {
    public String destinationCidrBlock;
    public String gatewayId;
    public String natGatewayId;
    public String origin;
  }

  public static final class Association {
    public String id;

    /** Null for the main route table's association with its VPC. */
    public String subnetId;

    public boolean main() {
      return subnetId == null;
    }
  }

  public static final class RouteTable extends Resource {
    public String vpcId;
    public List<Route> routes = new ArrayList<>();
    public List<Association> associations = new ArrayList<>();

    public boolean main() {
      return associations.stream().anyMatch(Association::main);
    }

    @Override
    List<String> own(String filter) {
      return switch (filter) {
        case "route-table-id" -> of(id);
        case "vpc-id" -> of(vpcId);
        case "association.main" -> of(String.valueOf(main()));
        case "association.subnet-id" ->
            associations.stream().map(a -> a.subnetId).filter(s -> s != null).toList();
        case "association.route-table-association-id" ->
            associations.stream().map(a -> a.id).toList();
        case "route.nat-gateway-id" ->
            routes.stream().map(r -> r.natGatewayId).filter(s -> s != null).toList();
        case "route.gateway-id" ->
            routes.stream().map(r -> r.gatewayId).filter(s -> s != null).toList();
        default -> List.of();
      };
    }
  }

  /**
   * A launch template with its one version. {@code data} is the request's {@code
   * LaunchTemplateData} as given (Query names, e.g. {@code BlockDeviceMapping[].Ebs.VolumeSize}),
   * answered back in the response's names.
   */
  public static final class LaunchTemplate extends Resource {
    public String name;
    public long createTime;
    public ObjectNode data;

    @Override
    List<String> own(String filter) {
      return switch (filter) {
        case "launch-template-name" -> of(name);
        case "launch-template-id" -> of(id);
        default -> List.of();
      };
    }
  }

  /** A security group of a VPC (its rules are not emulated). */
  public static final class SecurityGroup extends Resource {
    public String vpcId;
    public String groupName;
    public String description;

    @Override
    List<String> own(String filter) {
      return switch (filter) {
        case "group-id" -> of(id);
        case "group-name" -> of(groupName);
        case "vpc-id" -> of(vpcId);
        case "description" -> of(description);
        default -> List.of();
      };
    }
  }

  /** Everything EC2 keeps: what the state file holds under "ec2". */
  public static final class State {
    public Map<String, Vpc> vpcs = new TreeMap<>();
    public Map<String, Subnet> subnets = new TreeMap<>();
    public Map<String, InternetGateway> internetGateways = new TreeMap<>();
    public Map<String, Address> addresses = new TreeMap<>();
    public Map<String, NatGateway> natGateways = new TreeMap<>();
    public Map<String, RouteTable> routeTables = new TreeMap<>();
    public Map<String, LaunchTemplate> launchTemplates = new TreeMap<>();
    public Map<String, SecurityGroup> securityGroups = new TreeMap<>();
  }
}
