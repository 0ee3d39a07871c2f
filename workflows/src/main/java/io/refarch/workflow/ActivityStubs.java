package io.refarch.workflow;

import static java.util.Map.entry;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.aks.AksActivities;
import io.refarch.workflow.eks.EksActivities;
import io.refarch.workflow.gke.GkeActivities;
import io.refarch.workflow.kubernetes.KubernetesActivities;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import io.temporal.workflow.Workflow;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The activity options of every step, in one place: each activity type is sized by what it does
 * ({@link #SIZES}), and each call carries the name of its step as its summary, so the Web UI's
 * timeline shows "Create node pool workload-services", not only {@code GkeEnsureNodePool}.
 *
 * <p>Deterministic: the options come from the spec (the workflow's input) and the run's ledger.
 * Timeouts and summaries are not part of a workflow's replay check, so changing them leaves running
 * workflows replayable.
 */
final class ActivityStubs {

  /**
   * Transient cloud errors (unavailable, an operation already running on the cluster, throttling)
   * retry with backoff for about half an hour; the permanent types stop at once.
   *
   * <p>So does the SDK's "activity type not registered" failure: the workers of a task queue
   * register the same types, so another attempt lands on a worker just as unable (retrying it used
   * to take the whole budget, then as long again for each compensating delete). That type is the
   * SDK's {@code java.lang.IllegalArgumentException}; refarch's activities raise their own types,
   * so one of theirs that escapes as a bare IllegalArgumentException is a bad argument, which no
   * retry fixes either. Retry options are not part of a workflow's replay check.
   */
  static final RetryOptions RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(2))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setMaximumAttempts(30)
          .setDoNotRetry(
              Stream.concat(
                      FailureTypes.PERMANENT.stream(),
                      Stream.of(FailureTypes.SDK_ACTIVITY_NOT_REGISTERED))
                  .toArray(String[]::new))
          .build();

  /**
   * Waiting steps retry without an attempt limit, within {@link #WAITS_SCHEDULE_TO_CLOSE}: a worker
   * that hands its waits back to the server ends an attempt at every read of the operation (a
   * six-minute cluster create is about a hundred), so attempts no longer measure failures there.
   * Transient errors of a waiting step retry with the same back-off until that bound.
   */
  static final RetryOptions WAITS_RETRY = RETRY.toBuilder().setMaximumAttempts(0).build();

  /**
   * Cancellation waits for the activity to stop so a compensation never races the create it undoes.
   */
  private static final ActivityOptions BASE =
      ActivityOptions.newBuilder()
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .setRetryOptions(RETRY)
          .build();

  /** The three sizes of activity. */
  enum Size {
    /**
     * Waits on a cloud operation or on nodes: a GKE cluster takes minutes, a node pool create waits
     * while the cluster is busy (a master upgrade), an EKS control plane a quarter of an hour,
     * nodes up to 20 minutes. These heartbeat at least every 5 s, with the operation id in the
     * details, so a worker that dies is noticed within the heartbeat timeout (30 s unless the
     * spec's {@code heartbeatTimeoutSeconds} says otherwise) and the retry, on another worker,
     * resumes waiting for the same operation. Start-to-close (2 h) only bounds a wait that never
     * ends; schedule-to-close (3 h) bounds all attempts together.
     */
    WAITS,
    /**
     * A few cloud API requests (IAM, the project policy's read-modify-write, a describe and a token
     * for a kubeconfig), or the tigera-operator manifest's download (2 min timeout) and apply. Each
     * request is bounded by its client's own deadlines and retries; 5 min covers the slowest with
     * room, and a worker lost in one is noticed within that. They do not heartbeat.
     */
    CLOUD_REQUESTS,
    /**
     * A few requests to the cluster's API server, each with fabric8's 10 s connect and request
     * timeouts; 3 min lets them ride out fabric8's own retries for a while before Temporal's retry
     * takes over (every one of them is idempotent). They do not heartbeat.
     */
    CLUSTER_REQUESTS
  }

  static final Duration WAITS_START_TO_CLOSE = Duration.ofHours(2);
  static final Duration WAITS_SCHEDULE_TO_CLOSE = Duration.ofHours(3);
  static final Duration CLOUD_REQUESTS_START_TO_CLOSE = Duration.ofMinutes(5);
  static final Duration CLUSTER_REQUESTS_START_TO_CLOSE = Duration.ofMinutes(3);

  /**
   * Every activity type's size. The activities of EKS and AKS are not written yet: they are sized
   * by what the cloud makes them do, and those marked WAITS must heartbeat when they are.
   */
  static final Map<String, Size> SIZES =
      Map.ofEntries(
          entry("GkePreflight", Size.CLOUD_REQUESTS),
          entry("GkeEnsureServiceAccount", Size.CLOUD_REQUESTS),
          entry("GkeDeleteServiceAccount", Size.CLOUD_REQUESTS),
          entry("GkeEnsureRoleBindings", Size.CLOUD_REQUESTS),
          entry("GkeRemoveRoleBindings", Size.CLOUD_REQUESTS),
          entry("GkeEnsureCluster", Size.WAITS),
          entry("GkeEnsureClusterWithNodePools", Size.WAITS),
          entry("GkeDeleteCluster", Size.WAITS),
          entry("GkeDeleteDefaultNodePool", Size.WAITS),
          entry("GkeEnsureNodePool", Size.WAITS),
          entry("GkeDeleteNodePool", Size.WAITS),
          entry("GkeWriteKubeconfig", Size.CLOUD_REQUESTS),
          entry("GkeDeleteKubeconfig", Size.CLOUD_REQUESTS),
          entry("EksPreflight", Size.CLOUD_REQUESTS),
          // NAT gateways take minutes to come and go.
          entry("EksEnsureNetwork", Size.WAITS),
          entry("EksDeleteNetwork", Size.WAITS),
          entry("EksEnsureClusterRole", Size.CLOUD_REQUESTS),
          entry("EksDeleteClusterRole", Size.CLOUD_REQUESTS),
          entry("EksEnsureNodeRole", Size.CLOUD_REQUESTS),
          entry("EksDeleteNodeRole", Size.CLOUD_REQUESTS),
          entry("EksEnsureControlPlane", Size.WAITS),
          entry("EksDeleteControlPlane", Size.WAITS),
          entry("EksEnsureOidcProvider", Size.CLOUD_REQUESTS),
          entry("EksDeleteOidcProvider", Size.CLOUD_REQUESTS),
          entry("EksEnsureServiceAccountRole", Size.CLOUD_REQUESTS),
          entry("EksDeleteServiceAccountRole", Size.CLOUD_REQUESTS),
          entry("EksEnsureNodeGroup", Size.WAITS),
          entry("EksDeleteNodeGroup", Size.WAITS),
          entry("EksWriteKubeconfig", Size.CLOUD_REQUESTS),
          entry("EksDeleteKubeconfig", Size.CLOUD_REQUESTS),
          entry("AksPreflight", Size.CLOUD_REQUESTS),
          entry("AksEnsureResourceGroup", Size.CLOUD_REQUESTS),
          // Deleting a resource group waits for everything in it to go.
          entry("AksDeleteResourceGroup", Size.WAITS),
          entry("AksEnsureCluster", Size.WAITS),
          entry("AksDeleteCluster", Size.WAITS),
          entry("AksEnsureAgentPool", Size.WAITS),
          entry("AksDeleteAgentPool", Size.WAITS),
          entry("KubeEnsureClusterAdminBinding", Size.CLUSTER_REQUESTS),
          entry("KubeDeleteClusterAdminBinding", Size.CLUSTER_REQUESTS),
          entry("KubeVerifyNodes", Size.WAITS),
          entry("KubeDeleteAwsNode", Size.CLUSTER_REQUESTS),
          entry("KubeEnsureTigeraOperator", Size.CLOUD_REQUESTS),
          entry("KubeDeleteTigeraOperator", Size.CLOUD_REQUESTS),
          entry("KubeEnsureCalicoInstallation", Size.CLUSTER_REQUESTS),
          entry("KubeDeleteCalicoInstallation", Size.CLUSTER_REQUESTS),
          entry("KubeEnsureServiceAccount", Size.CLUSTER_REQUESTS),
          entry("KubeDeleteServiceAccount", Size.CLUSTER_REQUESTS));

  static final List<Class<?>> INTERFACES =
      List.of(
          GkeActivities.class,
          EksActivities.class,
          AksActivities.class,
          KubernetesActivities.class);

  static {
    // A new activity without a size would fail every run that calls it; fail at class load.
    Set<String> types = new TreeSet<>();
    INTERFACES.forEach(i -> types.addAll(activityTypes(i).values()));
    if (!types.equals(SIZES.keySet())) {
      Set<String> unsized = new TreeSet<>(types);
      unsized.removeAll(SIZES.keySet());
      Set<String> unknown = new TreeSet<>(SIZES.keySet());
      unknown.removeAll(types);
      throw new IllegalStateException(
          "activity sizes out of date: unsized " + unsized + ", unknown " + unknown);
    }
  }

  /** The options of {@code size}; {@code heartbeatTimeout} applies to WAITS only. */
  static ActivityOptions options(Size size, Duration heartbeatTimeout) {
    return switch (size) {
      case WAITS ->
          BASE.toBuilder()
              .setStartToCloseTimeout(WAITS_START_TO_CLOSE)
              .setScheduleToCloseTimeout(WAITS_SCHEDULE_TO_CLOSE)
              .setRetryOptions(WAITS_RETRY)
              .setHeartbeatTimeout(heartbeatTimeout)
              .build();
      case CLOUD_REQUESTS ->
          BASE.toBuilder().setStartToCloseTimeout(CLOUD_REQUESTS_START_TO_CLOSE).build();
      case CLUSTER_REQUESTS ->
          BASE.toBuilder().setStartToCloseTimeout(CLUSTER_REQUESTS_START_TO_CLOSE).build();
    };
  }

  final GkeActivities gke;
  final EksActivities eks;
  final AksActivities aks;
  final KubernetesActivities kube;

  private final Duration heartbeatTimeout;
  private final Supplier<String> summary;

  /**
   * Stubs whose every call is scheduled with the options of its activity's size and, as its
   * summary, what {@code summary} says when it is called (the run's current step).
   */
  ActivityStubs(ClusterSpec spec, Supplier<String> summary) {
    this.heartbeatTimeout = spec.heartbeatTimeout();
    this.summary = summary;
    this.gke = stub(GkeActivities.class);
    this.eks = stub(EksActivities.class);
    this.aks = stub(AksActivities.class);
    this.kube = stub(KubernetesActivities.class);
  }

  private ActivityOptions optionsFor(String activityType) {
    ActivityOptions options = options(SIZES.get(activityType), heartbeatTimeout);
    String name = summary.get();
    return name == null ? options : options.toBuilder().setSummary(name).build();
  }

  /**
   * A typed stub that schedules each call with its own options: a Temporal stub's options are fixed
   * when it is made, and the summary changes with every step.
   */
  private <T> T stub(Class<T> activityInterface) {
    Map<Method, String> types = activityTypes(activityInterface);
    InvocationHandler handler =
        (proxy, method, args) -> {
          String type = types.get(method);
          if (type == null) {
            return switch (method.getName()) {
              case "equals" -> proxy == args[0];
              case "hashCode" -> System.identityHashCode(proxy);
              default -> "ActivityStubs." + activityInterface.getSimpleName();
            };
          }
          return Workflow.newUntypedActivityStub(optionsFor(type))
              .execute(
                  type,
                  method.getReturnType(),
                  method.getGenericReturnType(),
                  args == null ? new Object[0] : args);
        };
    return activityInterface.cast(
        Proxy.newProxyInstance(
            activityInterface.getClassLoader(), new Class<?>[] {activityInterface}, handler));
  }

  private static Map<Method, String> activityTypes(Class<?> activityInterface) {
    Map<Method, String> types = new HashMap<>();
    for (POJOActivityMethodMetadata m :
        POJOActivityInterfaceMetadata.newInstance(activityInterface).getMethodsMetadata()) {
      types.put(m.getMethod(), m.getActivityTypeName());
    }
    return types;
  }
}
