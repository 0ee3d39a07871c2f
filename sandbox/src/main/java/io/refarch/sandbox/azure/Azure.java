package io.refarch.sandbox.azure;

import io.refarch.sandbox.azure.aks.Aks;
import io.refarch.sandbox.azure.aks.AksRest;
import io.refarch.sandbox.azure.arm.ArmRest;
import io.refarch.sandbox.azure.arm.ResourceGroups;
import io.refarch.sandbox.azure.compute.ComputeRest;
import io.refarch.sandbox.azure.core.ArmServer;
import io.refarch.sandbox.azure.core.AzureFaults;
import io.refarch.sandbox.azure.entra.Entra;
import io.refarch.sandbox.core.EmulatedService;
import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.Latency;
import io.refarch.sandbox.core.OperationTiming;
import io.refarch.sandbox.core.RecordedRequest;
import io.refarch.sandbox.kube.KubeApiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * The Azure that refarch's AKS procedure touches, on one HTTPS endpoint of 127.0.0.1 that is both
 * the cloud's Resource Manager and its Microsoft Entra authority: Entra's token endpoint for the
 * sandbox service principal ({@link Entra}), resource groups ({@link ResourceGroups}), AKS ({@link
 * Aks}) and what a preflight reads of Compute. The endpoint's certificate is issued by a CA of the
 * sandbox, kept in the state ({@code azure-ca.pem} in the state directory).
 */
public final class Azure implements AutoCloseable {

  /** The sandbox's Entra tenant. */
  public static final String SANDBOX_TENANT_ID = "7e4a1c2b-5d3f-4a8e-9b6c-0d1e2f3a4b5c";

  /** The one service principal Entra issues tokens to. */
  public static final String SANDBOX_CLIENT_ID = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f";

  /** Its secret: no secret at all, the sandbox's credentials are public by design. */
  public static final String SANDBOX_CLIENT_SECRET = "sandbox-client-secret";

  /** The subscription listed to the principal; ARM serves any well-formed subscription id. */
  public static final String SANDBOX_SUBSCRIPTION_ID = "3f2e1d0c-9b8a-4766-8554-433221100ffe";

  /** The file in the state directory that holds the endpoint's CA, PEM. */
  public static final String CA_FILE = "azure-ca.pem";

  /** The faults Azure calls can be given. */
  public static final AzureFaults FAULTS = new AzureFaults();

  private final ArmServer server;
  private final Entra entra;
  private final ResourceGroups groups;
  private final Aks aks;
  private final Path stateDir;

  /**
   * Binds the port ({@code port}, 0: any free one) without serving yet, so state (the CA among it)
   * can be restored first.
   */
  public Azure(
      int port,
      ExecutorService executor,
      Faults faults,
      Clock clock,
      Latency latency,
      Consumer<RecordedRequest> recorder,
      Runnable afterEach,
      KubeApiServer.Options kubeOptions,
      Runnable changed,
      AzureOptions options,
      Path stateDir)
      throws IOException {
    this.stateDir = stateDir;
    this.entra =
        new Entra(
            SANDBOX_TENANT_ID,
            SANDBOX_CLIENT_ID,
            SANDBOX_CLIENT_SECRET,
            clock,
            options.tokenLifetime(),
            faults);
    this.groups = new ResourceGroups(clock, latency, changed);
    this.aks = new Aks(clock, latency, groups, kubeOptions, options, faults, changed);
    this.server = new ArmServer(port, executor, recorder, afterEach, entra::authenticate);
    entra.routes(server);
    new ArmRest(groups, aks, faults).routes(server);
    new AksRest(aks, faults).routes(server);
    new ComputeRest(aks, options, faults).routes(server);
  }

  /** Azure's state, offline: for reading a state file without serving it. */
  public static List<EmulatedService> offline() {
    Clock clock = Clock.systemUTC();
    Latency latency = Latency.flat(Duration.ZERO);
    ResourceGroups groups = new ResourceGroups(clock, latency, () -> {});
    return List.of(
        groups,
        new Aks(clock, latency, groups, null, AzureOptions.defaults(), Faults.none(), () -> {}));
  }

  public List<EmulatedService> services() {
    return List.of(entra, groups, aks);
  }

  /** Serves HTTPS with the (restored) CA and writes the CA to {@link #CA_FILE}. */
  public void start() throws IOException {
    Files.writeString(caFile(), caPem(), StandardCharsets.US_ASCII);
    server.start(entra.certificates().sslContext());
  }

  /** "https://127.0.0.1:PORT": ARM's endpoint and Entra's authority host. */
  public String endpoint() {
    return "https://127.0.0.1:" + server.port();
  }

  /** The PEM of the CA that issued the endpoint's certificate. */
  public String caPem() {
    return entra.certificates().caPem();
  }

  public Path caFile() {
    return stateDir.resolve(CA_FILE);
  }

  /** The AKS operations and resource group deletes, in the order they started. */
  public List<OperationTiming> timings() {
    List<OperationTiming> all = new ArrayList<>(aks.timings());
    all.addAll(groups.timings());
    all.sort(Comparator.comparing(OperationTiming::started));
    return all;
  }

  /** Stops answering; the clusters' Kubernetes APIs stop with their state kept. */
  @Override
  public void close() {
    server.close();
    aks.stop();
  }
}
