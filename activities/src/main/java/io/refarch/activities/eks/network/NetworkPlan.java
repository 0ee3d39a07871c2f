package io.refarch.activities.eks.network;

import java.util.ArrayList;
import java.util.List;

/**
 * The subnets eksctl lays out in a new VPC: the VPC CIDR split into equal blocks (eight /19s of
 * 192.168.0.0/16), a public subnet per zone in the first blocks and a private one per zone after
 * them; the NAT gateways (none, one, or one per zone) and which NAT each zone's private route table
 * points at.
 *
 * @param nat eksctl's vpc.nat.gateway: Single, HighlyAvailable or Disable
 */
public record NetworkPlan(String vpcCidr, List<String> zones, String nat, List<Subnet> subnets) {

  /** One subnet: its zone, whether it is public, and its CIDR. */
  public record Subnet(String zone, boolean isPublic, String cidr) {
    /** The subnet's part tag (see {@link NetworkReconciler#PART}). */
    public String part() {
      return "subnet/" + (isPublic ? "public/" : "private/") + zone;
    }
  }

  public static NetworkPlan of(String vpcCidr, List<String> zones, String nat) {
    if (zones.isEmpty()) {
      throw new IllegalArgumentException("at least one zone is needed");
    }
    String[] parts = vpcCidr.split("/");
    long base = ipv4(parts[0]);
    int prefix = Integer.parseInt(parts[1]);
    // eksctl splits into 8 blocks while 2 per zone fit (up to 4 zones), into 16 beyond.
    int bits = Math.max(3, 32 - Integer.numberOfLeadingZeros(2 * zones.size() - 1));
    int subnetPrefix = prefix + bits;
    if (subnetPrefix > 28) {
      throw new IllegalArgumentException(
          vpcCidr + " is too small for " + 2 * zones.size() + " subnets of at least /28");
    }
    long size = 1L << (32 - subnetPrefix);
    long network = base & ~((1L << (32 - prefix)) - 1) & 0xffffffffL;
    List<Subnet> subnets = new ArrayList<>();
    for (int i = 0; i < zones.size(); i++) {
      subnets.add(new Subnet(zones.get(i), true, cidr(network + i * size, subnetPrefix)));
    }
    for (int i = 0; i < zones.size(); i++) {
      subnets.add(
          new Subnet(zones.get(i), false, cidr(network + (zones.size() + i) * size, subnetPrefix)));
    }
    return new NetworkPlan(vpcCidr, List.copyOf(zones), nat, List.copyOf(subnets));
  }

  public List<Subnet> publicSubnets() {
    return subnets.stream().filter(Subnet::isPublic).toList();
  }

  public List<Subnet> privateSubnets() {
    return subnets.stream().filter(s -> !s.isPublic()).toList();
  }

  /** The zones that get a NAT gateway (in their public subnet). */
  public List<String> natZones() {
    return switch (nat) {
      case "Disable" -> List.of();
      case "HighlyAvailable" -> zones;
      default -> List.of(zones.get(0));
    };
  }

  /** The zone whose NAT gateway the private subnets of {@code zone} route through. */
  public String natZoneFor(String zone) {
    return "HighlyAvailable".equals(nat) ? zone : zones.get(0);
  }

  private static long ipv4(String address) {
    String[] octets = address.split("\\.");
    long value = 0;
    for (String o : octets) {
      value = (value << 8) | Integer.parseInt(o);
    }
    return value;
  }

  private static String cidr(long address, int prefix) {
    return ((address >> 24) & 0xff)
        + "."
        + ((address >> 16) & 0xff)
        + "."
        + ((address >> 8) & 0xff)
        + "."
        + (address & 0xff)
        + "/"
        + prefix;
  }
}
