package io.refarch.activities.eks.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refarch.activities.Heartbeat;
import io.refarch.activities.eks.Ownership;
import io.refarch.activities.eks.Waiter;
import io.refarch.activities.eks.controlplane.ControlPlaneReconciler.ControlPlaneSpec;
import io.refarch.activities.gke.operation.PollSchedule;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.eks.NetworkRef;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.ClusterStatus;
import software.amazon.awssdk.services.eks.model.CreateClusterRequest;
import software.amazon.awssdk.services.eks.model.CreateClusterResponse;
import software.amazon.awssdk.services.eks.model.DescribeClusterRequest;
import software.amazon.awssdk.services.eks.model.DescribeClusterResponse;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

/**
 * Waiting for the control plane: heartbeats while CREATING, and an attempt that starts after a
 * crashed one (the cluster exists, still CREATING) only waits: no second CreateCluster.
 */
class ControlPlaneReconcilerTest {
  private static final Map<String, String> TAGS =
      Map.of(Ownership.CLUSTER, "gitpod", Ownership.RUN, "run-1");
  private static final ControlPlaneSpec SPEC =
      new ControlPlaneSpec(
          "gitpod",
          "1.30",
          "arn:aws:iam::123456789012:role/gitpod-cluster",
          new NetworkRef("vpc-1", List.of("subnet-a"), List.of("subnet-b"), "sg-1"),
          true,
          true,
          List.of("0.0.0.0/0"),
          List.of("*"),
          TAGS);

  /** An EKS whose cluster answers CREATING {@code creatingReads} times, then ACTIVE. */
  static final class FakeEks implements EksClient {
    final List<CreateClusterRequest> creates = new ArrayList<>();
    Cluster cluster;
    int creatingReads;
    int reads;

    @Override
    public CreateClusterResponse createCluster(CreateClusterRequest request) {
      creates.add(request);
      cluster =
          Cluster.builder()
              .name(request.name())
              .version(request.version())
              .tags(request.tags())
              .status(ClusterStatus.CREATING)
              .build();
      return CreateClusterResponse.builder().cluster(cluster).build();
    }

    @Override
    public CreateClusterResponse createCluster(Consumer<CreateClusterRequest.Builder> request) {
      CreateClusterRequest.Builder b = CreateClusterRequest.builder();
      request.accept(b);
      return createCluster(b.build());
    }

    @Override
    public DescribeClusterResponse describeCluster(Consumer<DescribeClusterRequest.Builder> r) {
      if (cluster == null) {
        throw ResourceNotFoundException.builder().message("No cluster found").build();
      }
      reads++;
      if (cluster.status() == ClusterStatus.CREATING && reads > creatingReads) {
        cluster = cluster.toBuilder().status(ClusterStatus.ACTIVE).build();
      }
      return DescribeClusterResponse.builder().cluster(cluster).build();
    }

    @Override
    public String serviceName() {
      return "eks";
    }

    @Override
    public void close() {}
  }

  private final List<String> beats = new ArrayList<>();
  private final Heartbeat heartbeat =
      new Heartbeat() {
        @Override
        public void beat(String details) {
          beats.add(details);
        }

        @Override
        public Optional<String> previous() {
          return Optional.empty();
        }

        @Override
        public void pause(Duration wait, String details) {
          beat(details);
        }
      };

  private static Waiter waiter() {
    return new Waiter(PollSchedule.gke(Duration.ofMillis(1), Duration.ofMillis(2)));
  }

  @Test
  void createsOnceAndBeatsWhileCreating() {
    FakeEks eks = new FakeEks();
    eks.creatingReads = 3;
    Cluster active = new ControlPlaneReconciler(eks, waiter()).ensure(SPEC, heartbeat);
    assertThat(active.status()).isEqualTo(ClusterStatus.ACTIVE);
    assertThat(eks.creates).hasSize(1);
    CreateClusterRequest create = eks.creates.get(0);
    assertThat(create.version()).isEqualTo("1.30");
    assertThat(create.resourcesVpcConfig().subnetIds()).containsExactly("subnet-a", "subnet-b");
    assertThat(create.resourcesVpcConfig().endpointPrivateAccess()).isTrue();
    assertThat(create.resourcesVpcConfig().publicAccessCidrs()).containsExactly("0.0.0.0/0");
    assertThat(create.logging().clusterLogging().get(0).typesAsStrings()).hasSize(5);
    assertThat(create.accessConfig().bootstrapClusterCreatorAdminPermissions()).isTrue();
    assertThat(create.tags()).isEqualTo(TAGS);
    assertThat(beats).filteredOn(b -> b.contains("to be ACTIVE")).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void anAttemptAfterACrashOnlyWaits() {
    FakeEks eks = new FakeEks();
    // The crashed attempt's CreateCluster went through; the cluster is still CREATING.
    eks.cluster =
        Cluster.builder()
            .name("gitpod")
            .version("1.30")
            .tags(TAGS)
            .status(ClusterStatus.CREATING)
            .build();
    eks.creatingReads = 2;
    Cluster active = new ControlPlaneReconciler(eks, waiter()).ensure(SPEC, heartbeat);
    assertThat(active.status()).isEqualTo(ClusterStatus.ACTIVE);
    assertThat(eks.creates).isEmpty();
  }

  @Test
  void aClusterOfThatNameNotMadeByRefarchIsASpecMismatch() {
    FakeEks eks = new FakeEks();
    eks.cluster =
        Cluster.builder()
            .name("gitpod")
            .version("1.30")
            .tags(Map.of())
            .status(ClusterStatus.ACTIVE)
            .build();
    assertThatThrownBy(() -> new ControlPlaneReconciler(eks, waiter()).ensure(SPEC, heartbeat))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.SPEC_MISMATCH));
    FakeEks older = new FakeEks();
    older.cluster =
        Cluster.builder()
            .name("gitpod")
            .version("1.29")
            .tags(TAGS)
            .status(ClusterStatus.ACTIVE)
            .build();
    assertThatThrownBy(() -> new ControlPlaneReconciler(older, waiter()).ensure(SPEC, heartbeat))
        .hasMessageContaining("version 1.29 (spec: 1.30)");
  }
}
