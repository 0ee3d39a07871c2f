package io.refarch.workflow.fakes;

import io.refarch.spec.AwsOptions;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.aks.AksActivities;
import io.refarch.workflow.eks.EksActivities;
import io.refarch.workflow.eks.NetworkRef;
import io.refarch.workflow.gke.GkeActivities;
import io.refarch.workflow.kubernetes.ClusterRef;
import io.refarch.workflow.kubernetes.KubeconfigRef;
import io.refarch.workflow.kubernetes.KubernetesActivities;
import io.refarch.workflow.kubernetes.NodeReport;
import io.refarch.workflow.kubernetes.PoolExpectation;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Activities of all three clouds that record every call (one entry per attempt, e.g. {@code
 * ensureNodePool workload-services}) and fail or block where a test says so. The workflows see them
 * exactly as they see the real activities: through Temporal, with its retries.
 */
public final class FakeCloud {
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<String, String> kept = new ConcurrentHashMap<>();
  private final java.util.Set<String> adopted = ConcurrentHashMap.newKeySet();

  private sealed interface Behaviour permits Permanent, Transient, Blocking, Stalling, Meeting {}

  private record Permanent(String type) implements Behaviour {}

  private record Transient(AtomicInteger left) implements Behaviour {}

  private record Blocking() implements Behaviour {}

  private record Stalling(java.util.concurrent.CountDownLatch release) implements Behaviour {}

  private record Meeting(java.util.concurrent.CountDownLatch arrived) implements Behaviour {}

  /** A call of {@link #meet} that did not see the others start while it ran. */
  public static final String NOT_TOGETHER = "NotTogether";

  private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());

  /**
   * One attempt of a call as the server saw it: {@code startedAt} is the test server's clock (time
   * skipping moves it) when the attempt started.
   */
  public record Attempt(String call, int attempt, long startedAt) {}

  /** Every attempt at {@code call} fails with a non-retryable failure of {@code type}. */
  public FakeCloud failPermanently(String call, String type) {
    behaviours.put(call, new Permanent(type));
    return this;
  }

  /** The first {@code times} attempts at {@code call} fail with a retryable failure. */
  public FakeCloud failTransiently(String call, int times) {
    behaviours.put(call, new Transient(new AtomicInteger(times)));
    return this;
  }

  /** {@code call} heartbeats until the run is cancelled (a long cloud operation). */
  public FakeCloud block(String call) {
    behaviours.put(call, new Blocking());
    return this;
  }

  /**
   * The first attempt at {@code call} hangs without heartbeating, as on a worker that died or lost
   * the server, until {@link #releaseStalled}; later attempts succeed.
   */
  public FakeCloud stallFirstAttempt(String call) {
    behaviours.put(call, new Stalling(new java.util.concurrent.CountDownLatch(1)));
    return this;
  }

  /**
   * Each of {@code calls} waits, once started, until all of them have started, and fails with
   * {@link #NOT_TOGETHER} if that takes longer than 10 s: calls made one after another never meet.
   */
  public FakeCloud meet(String... calls) {
    Meeting meeting = new Meeting(new java.util.concurrent.CountDownLatch(calls.length));
    for (String call : calls) {
      behaviours.put(call, meeting);
    }
    return this;
  }

  /** Lets every stalled attempt return (its result is no longer wanted by then). */
  public void releaseStalled() {
    behaviours.values().stream()
        .filter(b -> b instanceof Stalling)
        .forEach(b -> ((Stalling) b).release().countDown());
  }

  /** Every attempt of every call, in the order they started. */
  public List<Attempt> attempts() {
    synchronized (attempts) {
      return List.copyOf(attempts);
    }
  }

  /** {@code ensure} finds the resource existing and matching: it reports ADOPTED. */
  public FakeCloud adopt(String ensure) {
    adopted.add(ensure);
    return this;
  }

  /** {@code delete} keeps the resource (not the caller's to delete), saying {@code reason}. */
  public FakeCloud keep(String delete, String reason) {
    kept.put(delete, reason);
    return this;
  }

  public List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  public boolean called(String call) {
    return calls().contains(call);
  }

  public List<Object> activities() {
    return List.of(new Gke(), new Eks(), new Aks(), new Kube());
  }

  private void call(String name) {
    calls.add(name);
    var info = Activity.getExecutionContext().getInfo();
    attempts.add(new Attempt(name, info.getAttempt(), info.getStartedTimestamp()));
    Behaviour b = behaviours.get(name);
    if (b instanceof Stalling s && info.getAttempt() == 1) {
      try {
        s.release().await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    if (b instanceof Meeting m) {
      m.arrived().countDown();
      try {
        if (!m.arrived().await(10, java.util.concurrent.TimeUnit.SECONDS)) {
          throw ApplicationFailure.newNonRetryableFailure(
              name + " ran while the calls it should meet did not", NOT_TOGETHER);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return;
    }
    if (b instanceof Permanent p) {
      throw ApplicationFailure.newNonRetryableFailure(
          "injected " + p.type() + " at " + name, p.type());
    }
    if (b instanceof Transient t && t.left().getAndDecrement() > 0) {
      throw ApplicationFailure.newFailure("injected transient failure at " + name, "Unavailable");
    }
    if (b instanceof Blocking) {
      while (true) {
        // Heartbeating is how a running activity learns that its workflow was cancelled.
        Activity.getExecutionContext().heartbeat(null);
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }

  private Ensured ensured(String name) {
    call(name);
    return adopted.contains(name) ? Ensured.ADOPTED : Ensured.CREATED;
  }

  private Deletion deletion(String name) {
    call(name);
    return kept.containsKey(name) ? Deletion.kept(kept.get(name)) : Deletion.DELETED;
  }

  private static KubeconfigRef kubeconfig(ClusterSpec spec) {
    return new KubeconfigRef("/fake/kubeconfig/" + spec.name());
  }

  private final class Gke implements GkeActivities {
    public PreflightReport preflight(ClusterSpec s) {
      call("preflight");
      return new PreflightReport(List.of(new PreflightReport.Check("fake", true, "all set")));
    }

    public Ensured ensureServiceAccount(ClusterSpec s) {
      return ensured("ensureServiceAccount");
    }

    public Deletion deleteServiceAccount(ClusterSpec s) {
      return deletion("deleteServiceAccount");
    }

    public Ensured ensureRoleBindings(ClusterSpec s) {
      return ensured("ensureRoleBindings");
    }

    public Deletion removeRoleBindings(ClusterSpec s) {
      return deletion("removeRoleBindings");
    }

    public Ensured ensureCluster(ClusterSpec s) {
      return ensured("ensureCluster");
    }

    public Ensured ensureClusterWithNodePools(ClusterSpec s) {
      return ensured("ensureClusterWithNodePools");
    }

    public Deletion deleteCluster(ClusterSpec s) {
      return deletion("deleteCluster");
    }

    public void deleteDefaultNodePool(ClusterSpec s) {
      call("deleteDefaultNodePool");
    }

    public Ensured ensureNodePool(ClusterSpec s, String pool) {
      return ensured("ensureNodePool " + pool);
    }

    public Deletion deleteNodePool(ClusterSpec s, String pool) {
      return deletion("deleteNodePool " + pool);
    }

    public KubeconfigRef writeKubeconfig(ClusterSpec s) {
      call("writeKubeconfig");
      return kubeconfig(s);
    }

    public void deleteKubeconfig(ClusterSpec s) {
      call("deleteKubeconfig");
    }
  }

  private final class Eks implements EksActivities {
    public PreflightReport preflight(ClusterSpec s) {
      call("preflight");
      return new PreflightReport(List.of(new PreflightReport.Check("fake", true, "all set")));
    }

    public NetworkRef ensureNetwork(ClusterSpec s) {
      call("ensureNetwork");
      return new NetworkRef("vpc-1", List.of("subnet-pub"), List.of("subnet-priv"), "sg-1");
    }

    public Deletion deleteNetwork(ClusterSpec s) {
      return deletion("deleteNetwork");
    }

    public String ensureClusterRole(ClusterSpec s) {
      call("ensureClusterRole");
      return "arn:aws:iam::123456789012:role/cluster";
    }

    public Deletion deleteClusterRole(ClusterSpec s) {
      return deletion("deleteClusterRole");
    }

    public String ensureNodeRole(ClusterSpec s) {
      call("ensureNodeRole");
      return "arn:aws:iam::123456789012:role/nodes";
    }

    public Deletion deleteNodeRole(ClusterSpec s) {
      return deletion("deleteNodeRole");
    }

    public void ensureControlPlane(ClusterSpec s, NetworkRef n, String role) {
      call("ensureControlPlane");
    }

    public Deletion deleteControlPlane(ClusterSpec s) {
      return deletion("deleteControlPlane");
    }

    public void ensureOidcProvider(ClusterSpec s) {
      call("ensureOidcProvider");
    }

    public Deletion deleteOidcProvider(ClusterSpec s) {
      return deletion("deleteOidcProvider");
    }

    public String ensureServiceAccountRole(ClusterSpec s, String sa) {
      call("ensureServiceAccountRole " + sa);
      return "arn:aws:iam::123456789012:role/" + sa;
    }

    public Deletion deleteServiceAccountRole(ClusterSpec s, String sa) {
      return deletion("deleteServiceAccountRole " + sa);
    }

    public void ensureNodeGroup(ClusterSpec s, String pool, NetworkRef n, String role) {
      call("ensureNodeGroup " + pool);
    }

    public Deletion deleteNodeGroup(ClusterSpec s, String pool) {
      return deletion("deleteNodeGroup " + pool);
    }

    public KubeconfigRef writeKubeconfig(ClusterSpec s) {
      call("writeKubeconfig");
      return kubeconfig(s);
    }

    public void deleteKubeconfig(ClusterSpec s) {
      call("deleteKubeconfig");
    }
  }

  private final class Aks implements AksActivities {
    public PreflightReport preflight(ClusterSpec s) {
      call("preflight");
      return new PreflightReport(List.of(new PreflightReport.Check("fake", true, "all set")));
    }

    public Ensured ensureResourceGroup(ClusterSpec s) {
      return ensured("ensureResourceGroup");
    }

    public Deletion deleteResourceGroup(ClusterSpec s) {
      return deletion("deleteResourceGroup");
    }

    public Ensured ensureCluster(ClusterSpec s) {
      return ensured("ensureCluster");
    }

    public Deletion deleteCluster(ClusterSpec s) {
      return deletion("deleteCluster");
    }

    public Ensured ensureAgentPool(ClusterSpec s, String pool) {
      return ensured("ensureAgentPool " + pool);
    }

    public Deletion deleteAgentPool(ClusterSpec s, String pool) {
      return deletion("deleteAgentPool " + pool);
    }
  }

  private final class Kube implements KubernetesActivities {
    public Ensured ensureClusterAdminBinding(ClusterRef k, String user) {
      requireCoordinates(k);
      return ensured("ensureClusterAdminBinding " + user);
    }

    public Deletion deleteClusterAdminBinding(ClusterRef k) {
      requireCoordinates(k);
      return deletion("deleteClusterAdminBinding");
    }

    public NodeReport verifyNodes(ClusterRef k, List<PoolExpectation> pools) {
      requireCoordinates(k);
      call("verifyNodes");
      return new NodeReport(
          pools.stream()
              .map(
                  p ->
                      new NodeReport.Node(
                          p.pool() + "-node-0",
                          p.pool(),
                          "containerd://1.6.9",
                          String.valueOf(p.maxPods()),
                          "5.15.0",
                          "Ubuntu 22.04",
                          "v1.22.12",
                          "fake://" + p.pool(),
                          true,
                          List.of()))
              .toList());
    }

    public void deleteAwsNode(ClusterRef k) {
      requireCoordinates(k);
      call("deleteAwsNode");
    }

    public void ensureTigeraOperator(ClusterRef k, AwsOptions.Calico c) {
      requireCoordinates(k);
      call("ensureTigeraOperator");
    }

    public void deleteTigeraOperator(ClusterRef k, AwsOptions.Calico c) {
      requireCoordinates(k);
      call("deleteTigeraOperator");
    }

    public void ensureCalicoInstallation(ClusterRef k) {
      requireCoordinates(k);
      call("ensureCalicoInstallation");
    }

    public void deleteCalicoInstallation(ClusterRef k) {
      requireCoordinates(k);
      call("deleteCalicoInstallation");
    }

    public void ensureServiceAccount(ClusterRef k, String ns, String name, String role) {
      requireCoordinates(k);
      call("ensureServiceAccount " + ns + "/" + name);
    }

    public void deleteServiceAccount(ClusterRef k, String ns, String name) {
      requireCoordinates(k);
      call("deleteServiceAccount " + ns + "/" + name);
    }

    /** The in-cluster steps get coordinates only: every one of them, or the fake refuses. */
    private void requireCoordinates(ClusterRef k) {
      if (k == null
          || k.cloud() == null
          || k.owner() == null
          || k.region() == null
          || k.name() == null) {
        throw new IllegalArgumentException("in-cluster step without cluster coordinates: " + k);
      }
    }
  }
}
