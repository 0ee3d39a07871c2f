package io.refarch.activities.eks.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.refarch.activities.eks.preflight.AwsReads.ElasticIps;
import io.refarch.activities.eks.preflight.AwsReads.ExistingCluster;
import io.refarch.activities.eks.preflight.AwsReads.OfferedVersion;
import io.refarch.activities.eks.preflight.AwsReads.RunningInstance;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.Specs;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.PreflightReport.Check;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Each check of the EKS preflight on examples/eks.yaml (eu-west-1, Kubernetes 1.22, NAT Single,
 * node groups 2 × m6i.xlarge and 2 × m6i.2xlarge: 24 vCPUs) with the AWS reads stood in for.
 */
class EksPreflightChecksTest {

  @TempDir Path dir;

  static final String ARN = "arn:aws:iam::123456789012:user/you";

  /** The reads, each answering as a healthy account would; tests replace one. */
  Supplier<String> identity = () -> ARN;

  AwsReads.ClusterVersions versions =
      wanted ->
          List.of("1.22", "1.30", "1.33").stream()
              .filter(v -> wanted.isEmpty() || wanted.contains(v))
              .map(v -> new OfferedVersion(v, "STANDARD_SUPPORT", v.equals("1.33")))
              .toList();
  AwsReads.Clusters clusters = name -> Optional.empty();
  AwsReads.QuotaValues quotas = (service, code) -> 640;
  AwsReads.InstanceTypeVcpus instanceTypes =
      types -> {
        Map<String, Integer> known = Map.of("m6i.xlarge", 4, "m6i.2xlarge", 8, "g4dn.xlarge", 4);
        return types.stream()
            .filter(known::containsKey)
            .collect(java.util.stream.Collectors.toMap(t -> t, known::get));
      };
  AwsReads.RunningInstances running = List::of;
  int eipLimit = 5;
  List<Map<String, String>> addresses = new ArrayList<>();
  List<String> calls = new ArrayList<>();

  PreflightReport check(ClusterSpec spec) {
    ElasticIps eips =
        new ElasticIps() {
          @Override
          public int limit() {
            calls.add("DescribeAccountAttributes");
            return eipLimit;
          }

          @Override
          public List<Map<String, String>> allocated() {
            calls.add("DescribeAddresses");
            return addresses;
          }
        };
    return new EksPreflightChecks(
            () -> {
              calls.add("GetCallerIdentity");
              return identity.get();
            },
            v -> {
              calls.add("DescribeClusterVersions");
              return versions.offered(v);
            },
            n -> {
              calls.add("DescribeCluster");
              return clusters.find(n);
            },
            (s, c) -> {
              calls.add("GetServiceQuota");
              return quotas.value(s, c);
            },
            t -> {
              calls.add("DescribeInstanceTypes");
              return instanceTypes.vcpus(t);
            },
            () -> {
              calls.add("DescribeInstances");
              return running.running();
            },
            eips)
        .check(spec);
  }

  ClusterSpec example() throws Exception {
    return Specs.load(Path.of("../examples/eks.yaml"));
  }

  /** examples/eks.yaml with {@code from} replaced by {@code to}. */
  ClusterSpec example(String from, String to) throws Exception {
    String yaml = Files.readString(Path.of("../examples/eks.yaml"));
    assertThat(yaml).contains(from);
    Path file = dir.resolve("eks.yaml");
    Files.writeString(file, yaml.replace(from, to));
    return Specs.load(file);
  }

  static Check named(PreflightReport report, String name) {
    return report.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  static AwsServiceException awsError(int status, String code, String message) {
    return AwsServiceException.builder()
        .statusCode(status)
        .message(message)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .build();
  }

  @Test
  void theExamplePassesEveryCheckAndSaysWhatItCounted() throws Exception {
    PreflightReport report = check(example());

    assertThat(report.ok()).isTrue();
    assertThat(report.checks())
        .extracting(Check::name)
        .containsExactly("Credentials", "Kubernetes version", "Names", "vCPU quota", "Elastic IPs");
    assertThat(named(report, "Credentials").message()).isEqualTo("as " + ARN);
    assertThat(named(report, "Kubernetes version").message())
        .isEqualTo("1.22 is offered by EKS in eu-west-1 (standard support)");
    assertThat(named(report, "Names").message())
        .isEqualTo("no EKS cluster gitpod in eu-west-1 yet");
    assertThat(named(report, "vCPU quota").message())
        .contains("L-1216C47A")
        .contains(
            "need 24 vCPUs for the initial nodes 2 × m6i.xlarge (4 vCPUs), 2 × m6i.2xlarge (8 vCPUs)")
        .contains("free 640 (quota 640, in use 0 by 0 running On-Demand Standard instance(s))");
    assertThat(named(report, "Elastic IPs").message())
        .isEqualTo("NAT Single needs 1; 0 of 5 allocated in eu-west-1 (vpc-max-elastic-ips)");
    // Reads only.
    assertThat(calls).allSatisfy(c -> assertThat(c).matches("(Get|Describe).*"));
  }

  @Test
  void rejectedCredentialsFailTheCheckAndNothingElseIsRead() throws Exception {
    identity =
        () -> {
          throw awsError(
              403,
              "InvalidClientTokenId",
              "The security token included in the request is invalid.");
        };
    PreflightReport report = check(example());

    assertThat(report.ok()).isFalse();
    assertThat(report.checks()).hasSize(1);
    assertThat(report.checks().get(0).message())
        .contains("InvalidClientTokenId")
        .contains("AWS rejected the worker's credentials")
        .contains("Fix: give the worker AWS credentials");
    assertThat(calls).containsExactly("GetCallerIdentity");
  }

  @Test
  void expiredOrMissingCredentialsSaySo() throws Exception {
    identity =
        () -> {
          throw awsError(
              400, "ExpiredToken", "The security token included in the request is expired");
        };
    assertThat(check(example()).checks().get(0).message())
        .contains("ExpiredToken")
        .contains("Fix:");

    identity =
        () -> {
          throw SdkClientException.create(
              "Unable to load credentials from any of the providers in the chain");
        };
    Check none = check(example()).checks().get(0);
    assertThat(none.ok()).isFalse();
    assertThat(none.message()).contains("no usable AWS credentials").contains("Fix:");
  }

  @Test
  void aVersionEksDoesNotOfferFailsNamingTheOffered() throws Exception {
    versions =
        wanted ->
            List.of("1.31", "1.32", "1.33").stream()
                .filter(v -> wanted.isEmpty() || wanted.contains(v))
                .map(v -> new OfferedVersion(v, "STANDARD_SUPPORT", false))
                .toList();
    Check version = named(check(example()), "Kubernetes version");

    assertThat(version.ok()).isFalse();
    assertThat(version.message())
        .isEqualTo(
            "EKS does not offer Kubernetes 1.22 in eu-west-1 (versions past extended support"
                + " cannot be created). It offers 1.31, 1.32, 1.33. Fix: set kubernetesVersion to"
                + " one of them");
  }

  @Test
  void aVersionListedAsUnsupportedIsNotOffered() throws Exception {
    versions = wanted -> List.of(new OfferedVersion("1.22", "UNSUPPORTED", false));
    assertThat(named(check(example()), "Kubernetes version").ok()).isFalse();
  }

  @Test
  void aClusterOfTheSameNameIsAdoptedOnlyWhenItCarriesThisClustersTag() throws Exception {
    clusters = name -> Optional.of(new ExistingCluster(Map.of("team", "x"), "1.22", List.of()));
    Check foreign = named(check(example()), "Names");
    assertThat(foreign.ok()).isFalse();
    assertThat(foreign.message())
        .isEqualTo(
            "EKS cluster gitpod exists in eu-west-1 and was not made by refarch for this spec (no"
                + " refarch.io/cluster=gitpod tag). Fix: choose another name, or delete that"
                + " cluster");

    clusters =
        name ->
            Optional.of(
                new ExistingCluster(Map.of("refarch.io/cluster", "gitpod"), "1.22", List.of()));
    Check ours = named(check(example()), "Names");
    assertThat(ours.ok()).isTrue();
    assertThat(ours.message()).contains("the run adopts it");

    clusters =
        name ->
            Optional.of(
                new ExistingCluster(Map.of("refarch.io/cluster", "gitpod"), "1.30", List.of()));
    Check otherVersion = named(check(example()), "Names");
    assertThat(otherVersion.ok()).isFalse();
    assertThat(otherVersion.message()).contains("with version 1.30 (spec: 1.22)");
  }

  @Test
  void aLowVcpuQuotaFailsNamingTheQuotaAndTheNumbers() throws Exception {
    quotas = (service, code) -> 28;
    running =
        () ->
            List.of(
                new RunningInstance("m5.large", 2, true),
                new RunningInstance("c6i.xlarge", 4, true),
                // Neither counts: Spot, and a G instance (a quota of its own).
                new RunningInstance("m5.large", 2, false),
                new RunningInstance("g4dn.xlarge", 4, true));
    Check vcpus = named(check(example()), "vCPU quota");

    assertThat(vcpus.ok()).isFalse();
    assertThat(vcpus.message())
        .startsWith("region eu-west-1 is short of vCPU quota: Running On-Demand Standard")
        .contains("(L-1216C47A): need 24 vCPUs")
        .contains("free 22 (quota 28, in use 6 by 2 running On-Demand Standard instance(s))")
        .contains(
            "Fix: request 30 or more at https://eu-west-1.console.aws.amazon.com/servicequotas");
  }

  @Test
  void nodeGroupsOfAnAdoptedClusterNeedNoNewRoom() throws Exception {
    quotas = (service, code) -> 16;
    clusters =
        name ->
            Optional.of(
                new ExistingCluster(
                    Map.of("refarch.io/cluster", "gitpod"), "1.22", List.of("workspaces")));
    Check vcpus = named(check(example()), "vCPU quota");
    assertThat(vcpus.ok()).isTrue();
    assertThat(vcpus.message()).contains("need 8 vCPUs for the initial nodes 2 × m6i.xlarge");
  }

  @Test
  void typesOutsideTheStandardFamiliesAreNotCounted() throws Exception {
    quotas = (service, code) -> 8;
    Check vcpus =
        named(check(example("machineType: m6i.2xlarge", "machineType: g4dn.xlarge")), "vCPU quota");
    assertThat(vcpus.ok()).isTrue();
    assertThat(vcpus.message())
        .contains("need 8 vCPUs")
        .contains("not counted: g4dn.xlarge (outside the Standard families");
    assertThat(EksPreflightChecks.standard("im4gn.large")).isTrue();
    assertThat(EksPreflightChecks.standard("inf2.xlarge")).isFalse();
    assertThat(EksPreflightChecks.standard("trn1.2xlarge")).isFalse();
    assertThat(EksPreflightChecks.standard("t3.medium")).isTrue();
  }

  @Test
  void anUnknownInstanceTypeFailsNamingTheField() throws Exception {
    instanceTypes =
        types -> {
          throw awsError(
              400,
              "InvalidInstanceType",
              "The following supplied instance types do not exist: [m6i.huge]");
        };
    Check vcpus = named(check(example("m6i.2xlarge", "m6i.huge")), "vCPU quota");
    assertThat(vcpus.ok()).isFalse();
    assertThat(vcpus.message())
        .startsWith("nodePools[].machineType: The following supplied instance types do not exist")
        .contains("Fix:");
  }

  @Test
  void aQuotaTheCallerMayNotReadIsNotChecked() throws Exception {
    quotas =
        (service, code) -> {
          throw awsError(400, "AccessDeniedException", "not authorized to servicequotas:Get*");
        };
    Check vcpus = named(check(example()), "vCPU quota");
    assertThat(vcpus.ok()).isTrue();
    assertThat(vcpus.message())
        .startsWith("not checked: the caller may not call servicequotas:GetServiceQuota")
        .contains("AccessDeniedException");
  }

  @Test
  void aThrottledReadIsThrownForTheActivityToRetry() throws Exception {
    quotas =
        (service, code) -> {
          throw awsError(400, "TooManyRequestsException", "Rate exceeded");
        };
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> check(example()));
    assertThat(failure.isNonRetryable()).isFalse();
  }

  @Test
  void highlyAvailableNatNeedsAnElasticIpPerZone() throws Exception {
    ClusterSpec ha = example("nat: Single", "nat: HighlyAvailable");
    addresses.addAll(List.of(Map.of(), Map.of(), Map.of("Name", "other")));
    Check eips = named(check(ha), "Elastic IPs");
    assertThat(eips.ok()).isFalse();
    assertThat(eips.message())
        .isEqualTo(
            "too few Elastic IPs: NAT HighlyAvailable (one per zone) needs 3; 3 of 5 allocated in"
                + " eu-west-1 (vpc-max-elastic-ips). Fix: release unused addresses, request more"
                + " (Service Quotas: EC2-VPC Elastic IPs, L-0263D0A3), or set network.nat to"
                + " Single");

    // An earlier run's own addresses are reused, not allocated again.
    addresses.clear();
    addresses.addAll(
        List.of(
            Map.of("refarch.io/cluster", "gitpod"),
            Map.of("refarch.io/cluster", "gitpod"),
            Map.of(),
            Map.of()));
    assertThat(named(check(ha), "Elastic IPs").ok()).isTrue();
  }
}
