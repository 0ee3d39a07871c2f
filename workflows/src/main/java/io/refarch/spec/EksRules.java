package io.refarch.spec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** EKS's names and limits, as the EKS, EC2 and IAM APIs (and eksctl) enforce them. */
final class EksRules {
  // Cluster and node group names are spelled alike; only their lengths differ.
  private static final String NAME = "[A-Za-z0-9][A-Za-z0-9_-]*";
  private static final String NAME_RULE =
      "letters, digits, hyphens or underscores and start with a letter or digit";
  static final NameRule CLUSTER_NAME =
      NameRule.atMost(100, NAME, NAME_RULE + " (EKS cluster names)");
  static final NameRule NODE_GROUP_NAME =
      NameRule.atMost(63, NAME, NAME_RULE + " (EKS node group names)");
  static final String ACCOUNT = "\\d{12}";
  static final String REGION = "[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d";
  static final String VERSION = "\\d+\\.\\d+";
  static final String INSTANCE_TYPE = "[a-z][a-z0-9-]*\\.[a-z0-9]+";
  static final String POLICY_ARN =
      "arn:aws(-cn|-us-gov)?:iam::(aws|\\d{12}):policy/[A-Za-z0-9+=,.@_/-]+";
  static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
  static final String SHA256 = "[0-9a-f]{64}";
  static final List<String> NAT = List.of("Single", "HighlyAvailable", "Disable");
  static final List<String> AMI_FAMILIES =
      List.of(
          "AmazonLinux2",
          "AmazonLinux2023",
          "Ubuntu1804",
          "Ubuntu2004",
          "Ubuntu2204",
          "UbuntuPro2204",
          "Ubuntu2404",
          "UbuntuPro2404",
          "Bottlerocket");
  static final List<String> LOG_TYPES =
      List.of("*", "all", "api", "audit", "authenticator", "controllerManager", "scheduler");

  /** eksctl's iam.serviceAccounts[].wellKnownPolicies keys. */
  static final List<String> WELL_KNOWN_POLICIES =
      List.of(
          "imageBuilder",
          "autoScaler",
          "awsLoadBalancerController",
          "externalDNS",
          "certManager",
          "ebsCSIController",
          "efsCSIController");

  static final List<String> VOLUME_TYPES =
      List.of("gp2", "gp3", "io1", "io2", "sc1", "st1", "standard");

  private EksRules() {}

  static void check(ClusterSpec spec, Problems p) {
    CLUSTER_NAME.check("name", spec.name(), p);
    p.matches("region", spec.region(), REGION, "not an AWS region (like eu-west-1)");
    List<String> zones = spec.zones() == null ? List.of() : spec.zones();
    if (zones.size() == 1) {
      p.add("zones", "EKS needs at least two zones, got 1");
    }
    if (spec.region() != null) {
      for (int i = 0; i < zones.size(); i++) {
        if (!zones.get(i).matches(Pattern.quote(spec.region()) + "[a-z]")) {
          p.add("zones[" + i + "]", zones.get(i) + " is not a zone of " + spec.region());
        }
      }
    }
    p.matches(
        "kubernetesVersion",
        spec.kubernetesVersion(),
        VERSION,
        "must be major.minor on EKS (like \"1.22\")");
    checkNetwork(spec.network(), p);
    AwsOptions a = spec.aws();
    if (a == null) {
      p.add("aws.account", "required");
    } else {
      checkOptions(a, p);
    }
    List<NodePool> pools = spec.nodePools() == null ? List.of() : spec.nodePools();
    for (int i = 0; i < pools.size(); i++) {
      if (pools.get(i) != null) {
        checkNodeGroup(pools.get(i), "nodePools[" + i + "]", p);
      }
    }
  }

  private static void checkNetwork(Network n, Problems p) {
    if (n == null) {
      return;
    }
    if (n.vpcCidr() != null && !isVpcCidr(n.vpcCidr())) {
      p.add("network.vpcCidr", "not an IPv4 CIDR from /16 to /28 (like 192.168.0.0/16)");
    }
    p.oneOf("network.nat", n.nat(), NAT);
    if (Boolean.FALSE.equals(n.networkPolicy())) {
      p.add(
          "network.networkPolicy",
          "must be true on aws (Calico is the cluster's network and enforces policy)");
    }
    if (Boolean.FALSE.equals(n.privateAccess()) && Boolean.FALSE.equals(n.publicAccess())) {
      p.add("network", "privateAccess and publicAccess cannot both be false");
    }
    List<String> cidrs = n.publicAccessCidrs();
    if (cidrs != null) {
      if (Boolean.FALSE.equals(n.publicAccess())) {
        p.add("network.publicAccessCidrs", "only with publicAccess true; remove it");
      } else if (cidrs.isEmpty()) {
        p.add("network.publicAccessCidrs", "at least one CIDR (0.0.0.0/0 for every address)");
      } else if (cidrs.size() > MAX_PUBLIC_ACCESS_CIDRS) {
        p.add(
            "network.publicAccessCidrs",
            "at most " + MAX_PUBLIC_ACCESS_CIDRS + " CIDRs (EKS's limit), got " + cidrs.size());
      }
      for (int i = 0; i < cidrs.size(); i++) {
        if (cidrs.get(i) == null || !isIpv4Cidr(cidrs.get(i))) {
          p.add(
              "network.publicAccessCidrs[" + i + "]",
              "not an IPv4 CIDR (like 203.0.113.0/24): " + cidrs.get(i));
        }
      }
    }
  }

  /** EKS's limit on a cluster's public access CIDRs. */
  static final int MAX_PUBLIC_ACCESS_CIDRS = 40;

  /** An IPv4 address in dotted quads and a prefix length, as a CIDR writes them. */
  private record Cidr(long address, int prefix) {
    static Optional<Cidr> parse(String cidr) {
      String[] parts = cidr.split("/", -1);
      if (parts.length != 2 || !parts[1].matches("\\d{1,2}") || Integer.parseInt(parts[1]) > 32) {
        return Optional.empty();
      }
      String[] octets = parts[0].split("\\.", -1);
      if (octets.length != 4) {
        return Optional.empty();
      }
      long address = 0;
      for (String o : octets) {
        if (!o.matches("\\d{1,3}") || Integer.parseInt(o) > 255) {
          return Optional.empty();
        }
        address = address << 8 | Integer.parseInt(o);
      }
      return Optional.of(new Cidr(address, Integer.parseInt(parts[1])));
    }
  }

  /** An IPv4 CIDR of any prefix length whose address has no bits beyond the prefix. */
  static boolean isIpv4Cidr(String cidr) {
    return Cidr.parse(cidr)
        .filter(c -> (c.address() & (c.prefix() == 32 ? 0 : (1L << (32 - c.prefix())) - 1)) == 0)
        .isPresent();
  }

  /** An IPv4 CIDR from /16 to /28, the VPC sizes EC2 allows. */
  static boolean isVpcCidr(String cidr) {
    return Cidr.parse(cidr).filter(c -> c.prefix() >= 16 && c.prefix() <= 28).isPresent();
  }

  private static void checkOptions(AwsOptions a, Problems p) {
    if (p.required("aws.account", a.account())) {
      p.matches("aws.account", a.account(), ACCOUNT, "must be 12 digits");
    }
    if (a.tags() != null) {
      a.tags()
          .forEach(
              (k, v) -> {
                String path = "aws.tags[\"" + k + "\"]";
                if (k.isEmpty() || k.length() > 128) {
                  p.add(path, "keys are 1 to 128 characters");
                } else if (k.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) {
                  p.add(path, "keys starting with aws: are reserved");
                } else if (v == null || v.length() > 256) {
                  p.add(path, "values are at most 256 characters");
                }
              });
    }
    List<AwsOptions.IrsaServiceAccount> accounts =
        a.serviceAccounts() == null ? List.of() : a.serviceAccounts();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < accounts.size(); i++) {
      String path = "aws.serviceAccounts[" + i + "]";
      AwsOptions.IrsaServiceAccount sa = accounts.get(i);
      if (p.required(path + ".name", sa.name())) {
        p.matches(
            path + ".name",
            sa.name(),
            DNS_LABEL,
            "must be a Kubernetes name (lowercase letters, digits, hyphens)");
      }
      if (p.required(path + ".namespace", sa.namespace())) {
        p.matches(
            path + ".namespace",
            sa.namespace(),
            DNS_LABEL,
            "must be a Kubernetes name (lowercase letters, digits, hyphens)");
      }
      if (p.required(path + ".wellKnownPolicy", sa.wellKnownPolicy())) {
        p.oneOf(path + ".wellKnownPolicy", sa.wellKnownPolicy(), WELL_KNOWN_POLICIES);
      }
      if (sa.name() != null && sa.namespace() != null) {
        Integer first = seen.putIfAbsent(sa.namespace() + "/" + sa.name(), i);
        if (first != null) {
          p.add(
              path,
              sa.namespace() + "/" + sa.name() + " is already aws.serviceAccounts[" + first + "]");
        }
      }
    }
    if (!accounts.isEmpty() && Boolean.FALSE.equals(a.withOIDC())) {
      p.add(
          "aws.withOIDC",
          "must be true for aws.serviceAccounts (IRSA needs the cluster's OIDC provider)");
    }
    p.oneOf("aws.amiFamily", a.amiFamily(), AMI_FAMILIES);
    List<String> policies = a.nodePolicies() == null ? List.of() : a.nodePolicies();
    for (int i = 0; i < policies.size(); i++) {
      p.matches(
          "aws.nodePolicies[" + i + "]", policies.get(i), POLICY_ARN, "not an IAM policy ARN");
    }
    List<String> logging = a.clusterLogging() == null ? List.of() : a.clusterLogging();
    for (int i = 0; i < logging.size(); i++) {
      p.oneOf("aws.clusterLogging[" + i + "]", logging.get(i), LOG_TYPES);
    }
    AwsOptions.Calico c = a.calico();
    if (c == null || c.operatorManifest() == null) {
      p.add("aws.calico.operatorManifest", "required");
    } else {
      String manifest = c.operatorManifest();
      boolean http = manifest.startsWith("http://");
      if (http && c.operatorManifestSha256() == null) {
        // Plain HTTP can be tampered with on the way; only a pinned digest makes it safe.
        p.add("aws.calico.operatorManifestSha256", "required for an http:// manifest");
      }
      p.matches(
          "aws.calico.operatorManifestSha256",
          c.operatorManifestSha256(),
          SHA256,
          "must be 64 lowercase hex digits");
    }
  }

  private static void checkNodeGroup(NodePool pool, String path, Problems p) {
    NODE_GROUP_NAME.check(path + ".name", pool.name(), p);
    p.matches(
        path + ".machineType",
        pool.machineType(),
        INSTANCE_TYPE,
        "not an EC2 instance type (like m6i.xlarge)");
    p.oneOf(path + ".diskType", pool.diskType(), VOLUME_TYPES);
    p.between(path + ".diskSizeGb", pool.diskSizeGb(), 1, 16384, "on aws");
    String type = pool.diskType();
    if (pool.diskThroughput() != null && !"gp3".equals(type)) {
      p.add(path + ".diskThroughput", "only settable on gp3 volumes");
    }
    if (pool.diskIops() != null && !List.of("gp3", "io1", "io2").contains(type)) {
      p.add(path + ".diskIops", "only settable on gp3, io1 and io2 volumes");
    }
    if ("gp3".equals(type)) {
      p.between(path + ".diskIops", pool.diskIops(), 3000, 16000, "on gp3");
      p.between(path + ".diskThroughput", pool.diskThroughput(), 125, 1000, "on gp3");
      if (pool.diskIops() != null
          && pool.diskSizeGb() != null
          && pool.diskIops() > 500L * pool.diskSizeGb()) {
        p.compare(
            path
                + ".diskIops ("
                + pool.diskIops()
                + ") > 500 per GB of diskSizeGb ("
                + pool.diskSizeGb()
                + ")");
      }
      if (pool.diskIops() != null
          && pool.diskThroughput() != null
          && pool.diskThroughput() * 4L > pool.diskIops()) {
        p.compare(
            path
                + ".diskThroughput ("
                + pool.diskThroughput()
                + ") > diskIops / 4 ("
                + pool.diskIops() / 4
                + ")");
      }
    }
    if (pool.maxPods() != null && pool.maxPods() < 1) {
      p.compare(path + ".maxPods (" + pool.maxPods() + ") < 1");
    }
  }
}
