package io.refarch.activities.aks;

import io.refarch.activities.Caller;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.activities.WorkerStopping;
import io.refarch.activities.gke.operation.PollSchedule;
import io.refarch.spec.AzureOptions;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.NodePool;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.aks.AksActivities;
import io.temporal.failure.ApplicationFailure;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The AKS activities: each call finds the subscription's clients and hands its resource to the
 * reconciler of that resource. Everything refarch makes carries the spec's {@code azure.tags} and
 * the ownership tags ({@code refarch.io/cluster}, {@code refarch.io/run}); deletes remove only what
 * their caller may, and return what they keep.
 */
public class AksActivitiesImpl implements AksActivities {
  /** What AKS's operations usually take, by the type a poll schedule knows them by. */
  public static final Map<String, java.time.Duration> TYPICAL = AsyncOperations.AKS_TYPICAL;

  private final AzureConnection connection;
  private final PollSchedule polls;
  private final WorkerStopping stopping;
  private final Supplier<Caller> caller;
  private final Map<String, AzureClients> clients = new HashMap<>();

  public AksActivitiesImpl(
      AzureConnection connection,
      PollSchedule polls,
      WorkerStopping stopping,
      Supplier<Caller> caller) {
    this.connection = connection;
    this.polls = polls;
    this.stopping = stopping;
    this.caller = caller;
  }

  /** A failed check fails the step for good: what it found needs a person, not another attempt. */
  @Override
  public PreflightReport preflight(ClusterSpec spec) {
    check(spec);
    PreflightReport report = new AksPreflight(clients(spec)).check(spec);
    if (!report.ok()) {
      throw ApplicationFailure.newNonRetryableFailure(
          report.summary(), FailureTypes.PREFLIGHT_FAILED, report);
    }
    return report;
  }

  @Override
  public Ensured ensureResourceGroup(ClusterSpec spec) {
    check(spec);
    return groups(spec)
        .ensure(spec.azure().resourceGroup(), spec.region(), tags(spec), caller.get());
  }

  @Override
  public Deletion deleteResourceGroup(ClusterSpec spec) {
    check(spec);
    Heartbeat heartbeat = started();
    return report(
        groups(spec).delete(spec.azure().resourceGroup(), spec.name(), caller.get(), heartbeat));
  }

  @Override
  public Ensured ensureCluster(ClusterSpec spec) {
    check(spec);
    Heartbeat heartbeat = started();
    AzureOptions azure = spec.azure();
    Map<String, String> tags = tags(spec);
    NodePool system = spec.nodePools().get(0);
    return cluster(spec)
        .ensure(
            new ClusterReconciler.Wanted(
                azure.resourceGroup(),
                spec.name(),
                spec.region(),
                spec.kubernetesVersion(),
                azure.dnsPrefix(),
                azure.networkPlugin(),
                azure.networkPolicy(),
                AgentPoolShape.of(system, true, spec.zones(), tags),
                tags),
            caller.get(),
            heartbeat);
  }

  @Override
  public Deletion deleteCluster(ClusterSpec spec) {
    check(spec);
    Heartbeat heartbeat = started();
    return report(
        cluster(spec).delete(spec.azure().resourceGroup(), spec.name(), caller.get(), heartbeat));
  }

  @Override
  public Ensured ensureAgentPool(ClusterSpec spec, String pool) {
    check(spec);
    Heartbeat heartbeat = started();
    return pools(spec)
        .ensure(
            spec.azure().resourceGroup(),
            spec.name(),
            AgentPoolShape.of(pool(spec, pool), false, spec.zones(), tags(spec)),
            caller.get(),
            heartbeat);
  }

  @Override
  public Deletion deleteAgentPool(ClusterSpec spec, String pool) {
    check(spec);
    Heartbeat heartbeat = started();
    return report(
        pools(spec)
            .delete(spec.azure().resourceGroup(), spec.name(), pool, caller.get(), heartbeat));
  }

  private ResourceGroupReconciler groups(ClusterSpec spec) {
    return new ResourceGroupReconciler(clients(spec), new AsyncOperations(polls));
  }

  private ClusterReconciler cluster(ClusterSpec spec) {
    return new ClusterReconciler(clients(spec), new AsyncOperations(polls));
  }

  private AgentPoolReconciler pools(ClusterSpec spec) {
    return new AgentPoolReconciler(clients(spec), new AsyncOperations(polls));
  }

  /** The spec's own tags, then refarch's: the cluster the resource is for, the run that made it. */
  private Map<String, String> tags(ClusterSpec spec) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (spec.azure().tags() != null) {
      tags.putAll(spec.azure().tags());
    }
    tags.put(Ownership.CLUSTER, spec.name());
    tags.put(Ownership.RUN, caller.get().runId());
    return tags;
  }

  /**
   * The heartbeat of a step that waits. A retried attempt beats at once with what the last attempt
   * reported: a new worker's first cloud call (clients built, a token fetched) can take longer than
   * the heartbeat timeout, and the operation URL the last attempt recorded must survive it. A first
   * attempt does not beat before it has something to say: the SDK sends the first beat at once and
   * holds later ones back (0.8 of the timeout), so a placeholder would delay the operation URL.
   */
  private Heartbeat started() {
    Heartbeat heartbeat = heartbeat();
    heartbeat.previous().ifPresent(heartbeat::beat);
    return heartbeat;
  }

  private Heartbeat heartbeat() {
    return Heartbeat.ofCurrentActivity(stopping);
  }

  /** A kept resource is no failure: returned for the outcome and beaten for the Web UI. */
  private Deletion report(Deletion deletion) {
    if (deletion.kept() != null) {
      heartbeat().beat("kept " + deletion.kept());
    }
    return deletion;
  }

  private static NodePool pool(ClusterSpec spec, String name) {
    return spec.nodePools().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                Failures.permanent(
                    FailureTypes.INVALID_ARGUMENT, "nodePools: no node pool named " + name));
  }

  private static void check(ClusterSpec spec) {
    if (spec == null
        || spec.azure() == null
        || spec.azure().subscription() == null
        || spec.azure().resourceGroup() == null
        || spec.name() == null
        || spec.region() == null
        || spec.nodePools() == null
        || spec.nodePools().isEmpty()) {
      throw Failures.permanent(
          FailureTypes.INVALID_ARGUMENT,
          "name, region, azure.subscription, azure.resourceGroup and a node pool are required for"
              + " an AKS cluster");
    }
  }

  private synchronized AzureClients clients(ClusterSpec spec) {
    return clients.computeIfAbsent(
        spec.azure().subscription(), s -> AzureClients.connect(connection, s));
  }
}
