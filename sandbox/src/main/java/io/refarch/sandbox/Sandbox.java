package io.refarch.sandbox;

import io.refarch.sandbox.aws.Aws;
import io.refarch.sandbox.azure.Azure;
import io.refarch.sandbox.core.EmulatedService;
import io.refarch.sandbox.core.Fault;
import io.refarch.sandbox.core.FaultCatalog;
import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.OperationTiming;
import io.refarch.sandbox.core.RecordedRequest;
import io.refarch.sandbox.core.StateFile;
import io.refarch.sandbox.gcp.Gcp;
import io.refarch.sandbox.kube.KubeApiServer;
import io.refarch.sandbox.kube.KubeListener;
import io.refarch.sandbox.kube.KubeTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulated clouds, on 127.0.0.1: Google Cloud ({@link Gcp}: GKE, IAM, project policies, and for
 * every cluster a Kubernetes API over HTTPS) and AWS ({@link Aws}: EC2, IAM, STS, EKS, SSM, Auto
 * Scaling on one endpoint) and Azure ({@link Azure}: Entra, Resource Manager, AKS over HTTPS). The
 * real clients, gcloud and kubectl talk to it over the wire. This class only assembles: each cloud
 * lives in a package of its own over {@code core} and {@code kube}. State lives in {@code
 * stateDir/state.json} and survives restarts.
 */
public final class Sandbox implements AutoCloseable {

  /** The faults of every cloud the sandbox emulates. */
  private static final FaultCatalog FAULTS =
      FaultCatalog.of(List.of(Gcp.FAULTS, Aws.FAULTS, Azure.FAULTS));

  private final SandboxOptions options;
  private final ExecutorService executor;
  private final Gcp gcp;
  private final Aws aws;
  private final Azure azure;
  private final KubeListener kube;
  private final List<EmulatedService> services;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicBoolean dirty = new AtomicBoolean();

  /** Whether the request on this thread changed something; see saveIfThisRequestChanged. */
  private final ThreadLocal<Boolean> changedByThisRequest = ThreadLocal.withInitial(() -> false);

  /** Requests handled so far; see {@link #saveIfChanged()}. */
  private final AtomicLong handled = new AtomicLong();

  /** The last ticket the saved state covers; guarded by this. */
  private long savedThrough;

  /** How long the last save took, and when it ended (System.nanoTime); guarded by this. */
  private long lastSaveNanos;

  private long lastSaveEnded;

  /** The gap between two saves, in lengths of the last save (see {@link #saveIfChanged()}). */
  private static final int SAVE_GAP = 3;

  private final StateFile state;
  private volatile boolean closed;

  private Sandbox(SandboxOptions options) throws IOException {
    this.options = options;
    this.state = StateFile.lock(options.stateDir());
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "sandbox-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    Gcp started = null;
    Aws startedAws = null;
    Azure startedAzure = null;
    this.kube = new KubeListener(executor, options.port() == 0 ? 0 : options.port() + 4);
    try {
      Faults faults = new Faults(options.faults(), FAULTS);
      Runnable changed =
          () -> {
            dirty.set(true);
            changedByThisRequest.set(true);
          };
      KubeApiServer.Options kubeOptions =
          new KubeApiServer.Options(
              kube,
              this::saveAfterKubernetesRequest,
              requests::add,
              new KubeTokens(Clock.systemUTC(), options.tokenLifetime()),
              options.nodeRegistrationDelay());
      started =
          new Gcp(
              options.port(),
              executor,
              faults,
              Clock.systemUTC(),
              options.latency(),
              requests::add,
              this::saveIfThisRequestChanged,
              kubeOptions,
              changed,
              options.gcp());
      this.gcp = started;
      startedAws =
          new Aws(
              options.port() == 0 ? 0 : options.port() + 2,
              executor,
              faults,
              Clock.systemUTC(),
              options.latency(),
              requests::add,
              this::saveIfThisRequestChanged,
              kubeOptions,
              changed,
              options.awsQuotas());
      this.aws = startedAws;
      startedAzure =
          new Azure(
              options.port() == 0 ? 0 : options.port() + 3,
              executor,
              faults,
              Clock.systemUTC(),
              options.latency(),
              requests::add,
              this::saveIfThisRequestChanged,
              kubeOptions,
              changed,
              options.azure(),
              options.stateDir());
      this.azure = startedAzure;
      // The listener first: the clusters restored after it ask for their addresses on its port.
      List<EmulatedService> all = new ArrayList<>(List.of(kube));
      all.addAll(gcp.services());
      all.addAll(aws.services());
      all.addAll(azure.services());
      this.services = List.copyOf(all);
      if (state.load(services, true)) {
        dirty.set(true);
        saveIfChanged();
      }
      gcp.start();
      aws.start();
      azure.start();
      writeEndpoints();
    } catch (IOException | RuntimeException e) {
      if (started != null) {
        started.close();
      }
      if (startedAws != null) {
        startedAws.close();
      }
      if (startedAzure != null) {
        startedAzure.close();
      }
      kube.close();
      executor.shutdownNow();
      state.close();
      throw e;
    }
  }

  /** Where a running sandbox says where it listens, in its state directory. */
  private static final String ENDPOINTS_FILE = "endpoints.properties";

  /**
   * The endpoints of the sandbox running on {@code stateDir} (in another process, e.g. {@code
   * refarch sandbox serve}), or empty when none is: for clients that need it running, such as a
   * kubeconfig for its clusters.
   */
  public static Optional<SandboxEndpoints> running(Path stateDir) throws IOException {
    Path file = stateDir.resolve(ENDPOINTS_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (var in = Files.newInputStream(file)) {
      p.load(in);
    }
    String rest = p.getProperty("gcpRest");
    String grpc = p.getProperty("iamGrpc");
    String aws = p.getProperty("aws");
    String azure = p.getProperty("azure");
    return rest == null || grpc == null || aws == null || azure == null
        ? Optional.empty()
        : Optional.of(new SandboxEndpoints(rest, grpc, aws, azure));
  }

  private void writeEndpoints() throws IOException {
    Properties p = new Properties();
    p.setProperty("gcpRest", gcp.restEndpoint());
    p.setProperty("iamGrpc", gcp.grpcEndpoint());
    p.setProperty("aws", aws.endpoint());
    p.setProperty("azure", azure.endpoint());
    p.setProperty("azureCa", azure.caFile().toAbsolutePath().toString());
    Path file = options.stateDir().resolve(ENDPOINTS_FILE);
    try (var out = Files.newOutputStream(file)) {
      p.store(out, "where the sandbox serving this state listens; removed when it stops");
    }
  }

  /** Starts the sandbox on 127.0.0.1, with the state found in {@code options.stateDir()}. */
  public static Sandbox start(SandboxOptions options) throws IOException {
    return new Sandbox(options);
  }

  /**
   * Parses a fault, {@code operation[:resource]=CODE[xN]}, and checks it against the clouds
   * emulated here, e.g. {@code createNodePool:workload-headless-workspaces=RESOURCE_EXHAUSTED} or
   * {@code getOperation=UNAVAILABLEx3}. Throws IllegalArgumentException naming the bad part.
   */
  public static Fault parseFault(String text) {
    return Fault.parse(text, FAULTS);
  }

  public SandboxEndpoints endpoints() {
    return new SandboxEndpoints(
        gcp.restEndpoint(), gcp.grpcEndpoint(), aws.endpoint(), azure.endpoint());
  }

  /**
   * The PEM of the CA that issued the Azure endpoint's certificate (also in {@code
   * stateDir/azure-ca.pem}): what an Azure client must trust, as {@code REQUESTS_CA_BUNDLE} for az.
   */
  public String azureCertificateAuthority() {
    return azure.caPem();
  }

  /** Where the sandbox wrote {@link #azureCertificateAuthority()}. */
  public Path azureCertificateAuthorityFile() {
    return azure.caFile();
  }

  /**
   * What exists, one resource a line, sorted: "gcp ..." for IAM, "gke ..." for clusters and node
   * pools, "ec2 ...", "iam ..." and "eks ..." for AWS resources, "k8s CLUSTER ..." for objects
   * users created in a cluster (nodes and built-in namespaces are not listed).
   */
  public List<String> inventory() {
    List<String> lines = new ArrayList<>();
    services.forEach(s -> lines.addAll(s.inventory()));
    return lines.stream().sorted().toList();
  }

  /**
   * The inventory kept in {@code stateDir}, read without starting anything: for looking at a
   * sandbox that may be running in another process. Empty when there is no state.
   */
  public static List<String> inventory(Path stateDir) throws IOException {
    List<EmulatedService> offline = new ArrayList<>(Gcp.offline());
    offline.addAll(Aws.offline());
    offline.addAll(Azure.offline());
    return StateFile.inventory(stateDir, offline);
  }

  /**
   * Every request received since start or reset, in order: GCP REST, IAM gRPC ("GRPC",
   * /service/method), AWS (the form body of Query calls, the path of EKS's) and the Kubernetes API
   * of every cluster (paths /api/..., /apis/...).
   */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /**
   * When each long-running operation since start or reset started and ended, in the order they
   * started: what a benchmark compares its client's notice of each end with.
   */
  public List<OperationTiming> operationTimings() {
    List<OperationTiming> all = new ArrayList<>(gcp.gke().timings());
    all.addAll(aws.timings());
    all.addAll(azure.timings());
    all.sort(java.util.Comparator.comparing(OperationTiming::started));
    return all;
  }

  public SandboxOptions options() {
    return options;
  }

  /** Forgets everything, in memory and on disk. Faults stay armed as they are. */
  public synchronized void reset() {
    services.forEach(EmulatedService::clear);
    requests.clear();
    dirty.set(false);
    state.delete();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Files.deleteIfExists(options.stateDir().resolve(ENDPOINTS_FILE));
    } catch (IOException e) {
      // a stale file names ports nobody answers on; readers say so
    }
    gcp.close();
    aws.close();
    azure.close();
    kube.close();
    saveIfChanged();
    executor.shutdownNow();
    state.close();
  }

  /**
   * The clusters' object stores do not report their changes, so every Kubernetes API request that
   * may change objects counts as one: objects users create (the cluster-admin binding) must outlive
   * the process too.
   */
  private void saveAfterKubernetesRequest() {
    dirty.set(true);
    changedByThisRequest.set(true);
    saveIfThisRequestChanged();
  }

  /**
   * After each request: a request that changed nothing answers at once, without waiting for a save
   * of what others changed (its thread made no change: the clouds change state on the request's own
   * thread).
   */
  private void saveIfThisRequestChanged() {
    boolean changed = changedByThisRequest.get();
    changedByThisRequest.remove();
    if (changed) {
      saveIfChanged();
    }
  }

  /**
   * Saves before the request is answered, so what a client was told exists survives a kill of the
   * sandbox. Group commit: a request takes a ticket once handled; requests arriving while one saves
   * wait here, and the next save covers every ticket taken before it began, so they answer without
   * a save of their own. A save writes the whole state (every cluster), so without it each request
   * of a fleet paid one (the sandbox's limit at 1,000 runs, docs/fleet.md). Saves also keep a gap
   * of {@link #SAVE_GAP} times the last save's length between them, so saving takes at most a
   * quarter of the sandbox's time however busy it is; the requests arriving in that gap join the
   * next save. A small state saves in a few milliseconds, so an unloaded sandbox hardly waits.
   */
  private void saveIfChanged() {
    long ticket = handled.incrementAndGet();
    synchronized (this) {
      // A change is made before it sets dirty: a save that cleared dirty after it holds it.
      if (savedThrough >= ticket || !dirty.get()) {
        return;
      }
      long gap = lastSaveNanos * SAVE_GAP - (System.nanoTime() - lastSaveEnded);
      if (gap > 0) {
        try {
          Thread.sleep(gap / 1_000_000, (int) (gap % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      dirty.set(false);
      long through = handled.get();
      long began = System.nanoTime();
      try {
        state.save(services);
        savedThrough = through;
      } catch (RuntimeException e) {
        dirty.set(true);
        throw e;
      } finally {
        lastSaveEnded = System.nanoTime();
        lastSaveNanos = lastSaveEnded - began;
      }
    }
  }
}
