package io.refarch.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.spec.ClusterSpec;
import io.refarch.spec.GcpOptions;
import io.refarch.spec.Labels;
import io.refarch.workflow.PlannedStep.Kind;
import io.refarch.workflow.fakes.TestSpecs;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {

  @Test
  void planListsTheGkeStepsWithTheirRequestsWithoutAnyActivity() {
    List<PlannedStep> plan = Procedures.plan(TestSpecs.gke());
    assertThat(plan)
        .extracting(PlannedStep::title)
        .containsExactly(
            "Preflight",
            "Create service account",
            "Grant project roles",
            "Create cluster",
            "Delete default node pool",
            "Create node pool workload-services",
            "Create node pool workload-regular-workspaces",
            "Create node pool workload-headless-workspaces",
            "Bind cluster-admin",
            "Verify nodes");
    assertThat(plan)
        .extracting(PlannedStep::kind)
        .containsExactly(
            Kind.PERFORM,
            Kind.CREATE,
            Kind.CREATE,
            Kind.CREATE,
            Kind.PERFORM,
            Kind.CREATE,
            Kind.CREATE,
            Kind.CREATE,
            Kind.CREATE_IN_CLUSTER,
            Kind.PERFORM);
    assertThat(plan.get(3).request())
        .contains(
            "e2-standard-2",
            "pd-ssd 50GB",
            "UBUNTU_CONTAINERD",
            "1.22.12-gke.1200",
            "us-central1",
            "gitpod-gitpod");
    assertThat(plan.get(3).request())
        .contains("autoscaling 0..1 as gitpod-gke@test-project.iam.gserviceaccount.com");
    assertThat(plan.get(5).request())
        .contains("services-machine", "autoscaling 1..4", "max pods 110")
        .endsWith("nodes run as the project's Compute Engine default account");
  }

  @Test
  void withPoolsWithClusterThePlanCreatesTheClusterWithEveryPoolInOneStep() {
    List<PlannedStep> plan = Procedures.plan(TestSpecs.gkePoolsWithCluster());
    assertThat(plan)
        .extracting(PlannedStep::title)
        .containsExactly(
            "Preflight",
            "Create service account",
            "Grant project roles",
            "Create cluster with node pools",
            "Bind cluster-admin",
            "Verify nodes");
    assertThat(plan.get(3).kind()).isEqualTo(Kind.CREATE);
    assertThat(plan.get(3).request())
        .startsWith("clusters.create gitpod in us-central1 version 1.22.12-gke.1200")
        .contains(
            "workload-services: services-machine",
            "workload-regular-workspaces: ",
            "workload-headless-workspaces: ",
            "autoscaling 1..4",
            Labels.WORKSPACE_HEADLESS + "=true")
        .doesNotContain("default pool", "e2-standard-2");
  }

  @Test
  void aPoolRunAsANamedAccountSaysWhichInThePlan() {
    ClusterSpec seed = TestSpecs.gke();
    GcpOptions g = seed.gcp();
    ClusterSpec named =
        new ClusterSpec(
            seed.apiVersion(),
            seed.kind(),
            seed.cloud(),
            seed.name(),
            seed.region(),
            seed.zones(),
            seed.kubernetesVersion(),
            seed.clusterAdmin(),
            seed.keepOnFailure(),
            seed.heartbeatTimeoutSeconds(),
            seed.network(),
            seed.nodePools(),
            new GcpOptions(
                g.project(),
                g.serviceAccount(),
                g.serviceAccountRoles(),
                "gitpod-gke",
                g.imageType(),
                g.scopes(),
                g.addons(),
                g.autoUpgrade(),
                g.autoRepair(),
                g.metadata(),
                g.defaultPool(),
                g.poolsWithCluster()),
            seed.aws(),
            seed.azure());

    assertThat(Procedures.plan(named).get(5).request())
        .endsWith("nodes run as gitpod-gke@test-project.iam.gserviceaccount.com");
  }

  @Test
  void planStepsAreNumberedAndMatchTheProcedureOfEachCloud() {
    assertThat(Procedures.plan(TestSpecs.eks())).hasSize(ExpectedProcedures.EKS.size());
    assertThat(Procedures.plan(TestSpecs.aks())).hasSize(ExpectedProcedures.AKS.size());
    assertThat(Procedures.plan(TestSpecs.eks()))
        .extracting(PlannedStep::number)
        .containsExactlyElementsOf(
            java.util.stream.IntStream.rangeClosed(1, ExpectedProcedures.EKS.size())
                .boxed()
                .toList());
  }
}
