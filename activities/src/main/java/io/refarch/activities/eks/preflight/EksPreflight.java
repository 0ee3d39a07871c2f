package io.refarch.activities.eks.preflight;

import io.refarch.activities.eks.AwsClients;
import io.refarch.activities.eks.AwsConnection;
import io.refarch.activities.eks.AwsErrors;
import io.refarch.activities.eks.preflight.AwsReads.ElasticIps;
import io.refarch.activities.eks.preflight.AwsReads.ExistingCluster;
import io.refarch.activities.eks.preflight.AwsReads.OfferedVersion;
import io.refarch.activities.eks.preflight.AwsReads.RunningInstance;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.PreflightReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceLifecycleType;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.ClusterVersionInformation;

/**
 * The EKS preflight with real clients: STS, EKS and EC2 through the SDK, Service Quotas through
 * {@link ServiceQuotasApi}. Used by the {@code EksPreflight} activity and by {@code refarch
 * preflight}, which runs it without Temporal. Every call is a read.
 */
public final class EksPreflight implements AutoCloseable {

  private final AwsConnection connection;
  private final Map<String, AwsClients> clients = new HashMap<>();

  public EksPreflight(AwsConnection connection) {
    this.connection = connection;
  }

  /** Reads, changes nothing; the report says what to fix. */
  public PreflightReport check(ClusterSpec spec) {
    AwsClients c = clients(spec.region());
    return new EksPreflightChecks(
            () -> c.sts.getCallerIdentity().arn(),
            versions -> versions(c, versions),
            name -> cluster(c, name),
            new ServiceQuotasApi(connection, spec.region()),
            types -> vcpus(c, types),
            () -> running(c),
            elasticIps(c))
        .check(spec);
  }

  private static List<OfferedVersion> versions(AwsClients c, List<String> versions) {
    List<OfferedVersion> offered = new ArrayList<>();
    c.eks
        .describeClusterVersionsPaginator(
            r -> {
              if (!versions.isEmpty()) {
                r.clusterVersions(versions);
              }
            })
        .clusterVersions()
        .forEach(
            (ClusterVersionInformation v) ->
                offered.add(
                    new OfferedVersion(
                        v.clusterVersion(),
                        v.versionStatusAsString(),
                        Boolean.TRUE.equals(v.defaultVersion()))));
    return offered;
  }

  private static Optional<ExistingCluster> cluster(AwsClients c, String name) {
    Cluster cluster;
    try {
      cluster = c.eks.describeCluster(r -> r.name(name)).cluster();
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
    List<String> nodegroups = new ArrayList<>();
    c.eks.listNodegroupsPaginator(r -> r.clusterName(name)).nodegroups().forEach(nodegroups::add);
    return Optional.of(
        new ExistingCluster(
            cluster.tags() == null ? Map.of() : cluster.tags(), cluster.version(), nodegroups));
  }

  private static Map<String, Integer> vcpus(AwsClients c, List<String> types) {
    Map<String, Integer> vcpus = new LinkedHashMap<>();
    c.ec2
        .describeInstanceTypesPaginator(r -> r.instanceTypesWithStrings(types))
        .instanceTypes()
        .forEach(
            (InstanceTypeInfo t) ->
                vcpus.put(t.instanceTypeAsString(), t.vCpuInfo().defaultVCpus()));
    return vcpus;
  }

  private static List<RunningInstance> running(AwsClients c) {
    List<RunningInstance> running = new ArrayList<>();
    for (Reservation reservation :
        c.ec2
            .describeInstancesPaginator(
                r ->
                    r.filters(
                        Filter.builder().name("instance-state-name").values("running").build()))
            .reservations()) {
      for (Instance i : reservation.instances()) {
        int vcpus =
            i.cpuOptions() == null
                    || i.cpuOptions().coreCount() == null
                    || i.cpuOptions().threadsPerCore() == null
                ? 0
                : i.cpuOptions().coreCount() * i.cpuOptions().threadsPerCore();
        // Spot instances carry instanceLifecycle=spot; On-Demand ones none.
        boolean onDemand = i.instanceLifecycle() != InstanceLifecycleType.SPOT;
        running.add(new RunningInstance(i.instanceTypeAsString(), vcpus, onDemand));
      }
    }
    return running;
  }

  private static ElasticIps elasticIps(AwsClients c) {
    return new ElasticIps() {
      @Override
      public int limit() {
        return c
            .ec2
            .describeAccountAttributes(r -> r.attributeNamesWithStrings("vpc-max-elastic-ips"))
            .accountAttributes()
            .stream()
            .filter(a -> a.attributeName().equals("vpc-max-elastic-ips"))
            .flatMap(a -> a.attributeValues().stream())
            .map(v -> Integer.parseInt(v.attributeValue()))
            .findFirst()
            // AWS always answers the attribute; 5 is its default should it not.
            .orElse(5);
      }

      @Override
      public List<Map<String, String>> allocated() {
        List<Map<String, String>> tags = new ArrayList<>();
        for (Address a : c.ec2.describeAddresses(r -> {}).addresses()) {
          Map<String, String> t = new LinkedHashMap<>();
          for (Tag tag : a.tags()) {
            t.put(tag.key(), tag.value());
          }
          tags.add(t);
        }
        return tags;
      }
    };
  }

  private synchronized AwsClients clients(String region) {
    return clients.computeIfAbsent(region, r -> AwsClients.connect(connection, r));
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(AwsClients::close);
    clients.clear();
  }
}
