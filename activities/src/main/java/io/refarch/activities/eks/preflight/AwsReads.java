package io.refarch.activities.eks.preflight;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads the EKS preflight makes, each behind its own narrow interface so the checks can be
 * tested without AWS. Each throws the SDK's {@code SdkException} when AWS refuses or cannot be
 * reached; {@link EksPreflightChecks} decides what that means for its check.
 */
public final class AwsReads {
  private AwsReads() {}

  /** STS GetCallerIdentity: the caller's ARN. */
  @FunctionalInterface
  public interface CallerIdentity {
    String arn();
  }

  /** A Kubernetes version EKS lists in DescribeClusterVersions. */
  public record OfferedVersion(String version, String status, boolean isDefault) {}

  /** EKS DescribeClusterVersions. */
  @FunctionalInterface
  public interface ClusterVersions {
    /** The versions EKS offers in the region among {@code versions}; all when it is empty. */
    List<OfferedVersion> offered(List<String> versions);
  }

  /** Service Quotas GetServiceQuota: the applied value of a quota. */
  @FunctionalInterface
  public interface QuotaValues {
    double value(String serviceCode, String quotaCode);
  }

  /** EC2 DescribeInstanceTypes: default vCPUs by instance type. */
  @FunctionalInterface
  public interface InstanceTypeVcpus {
    /** Throws InvalidInstanceType when one of {@code types} does not exist in the region. */
    Map<String, Integer> vcpus(List<String> types);
  }

  /** A running instance: its type, its vCPUs, whether it is On-Demand (not Spot). */
  public record RunningInstance(String type, int vcpus, boolean onDemand) {}

  /** EC2 DescribeInstances with instance-state-name=running. */
  @FunctionalInterface
  public interface RunningInstances {
    List<RunningInstance> running();
  }

  /** The region's Elastic IPs: the account's limit and the tags of each allocated address. */
  public interface ElasticIps {
    /** DescribeAccountAttributes {@code vpc-max-elastic-ips}. */
    int limit();

    /** DescribeAddresses: one entry per allocated address, its tags. */
    List<Map<String, String>> allocated();
  }

  /** An EKS cluster found under the spec's name: its tags, version and node groups. */
  public record ExistingCluster(
      Map<String, String> tags, String version, List<String> nodegroups) {}

  /** EKS DescribeCluster (and ListNodegroups when it exists). */
  @FunctionalInterface
  public interface Clusters {
    Optional<ExistingCluster> find(String name);
  }
}
