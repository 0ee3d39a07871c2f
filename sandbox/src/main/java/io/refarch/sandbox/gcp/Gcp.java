package io.refarch.sandbox.gcp;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.refarch.sandbox.core.EmulatedService;
import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.Latency;
import io.refarch.sandbox.core.RecordedRequest;
import io.refarch.sandbox.core.RestServer;
import io.refarch.sandbox.gcp.auth.OAuthRest;
import io.refarch.sandbox.gcp.compute.Compute;
import io.refarch.sandbox.gcp.gke.Gke;
import io.refarch.sandbox.gcp.gke.GkeRest;
import io.refarch.sandbox.gcp.iam.Iam;
import io.refarch.sandbox.gcp.iam.IamGrpc;
import io.refarch.sandbox.gcp.iam.IamRest;
import io.refarch.sandbox.gcp.serviceusage.ServiceUsage;
import io.refarch.sandbox.kube.KubeApiServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Google Cloud that refarch's GKE procedure touches, on 127.0.0.1: GKE (container v1), IAM
 * service accounts and project policies (iam v1, Cloud Resource Manager v1/v3), serviceusage and
 * Compute Engine's regions (quotas) on one REST port with the OAuth token endpoint that issues the
 * clusters' tokens, the IAM admin API on a gRPC port (the Java IAM client has no REST transport),
 * and each cluster's Kubernetes API.
 */
public final class Gcp implements AutoCloseable {

  /** The faults GCP calls can be given. */
  public static final GcpFaults FAULTS = new GcpFaults();

  private final Iam iam;
  private final Gke gke;
  private final RestServer rest;
  private final Server grpc;

  /**
   * Binds the REST port ({@code port}, 0: any free one) without serving yet, so state can be
   * restored first. The gRPC port is {@code port + 1} when a port is given.
   *
   * @param afterEach what to do after each request (save the state)
   * @param changed called whenever the state changes
   * @param project the APIs disabled and the quota limits of every emulated project
   */
  public Gcp(
      int port,
      ExecutorService executor,
      Faults faults,
      Clock clock,
      Latency latency,
      Consumer<RecordedRequest> recorder,
      Runnable afterEach,
      KubeApiServer.Options kubeOptions,
      Runnable changed,
      GcpProject project)
      throws IOException {
    this.iam = new Iam(faults, changed);
    this.gke = new Gke(faults, clock, latency, kubeOptions, changed);
    this.rest = new RestServer(port, executor, recorder, afterEach, GoogleApiError.REST);
    GkeRest.register(rest, gke);
    IamRest.register(rest, iam);
    OAuthRest.register(rest, kubeOptions.tokens());
    new ServiceUsage(project.disabledApis(), faults).register(rest);
    new Compute(gke, project, faults).register(rest, restEndpoint());
    gke.apiBase(restEndpoint());
    this.grpc =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port == 0 ? 0 : port + 1))
            .addService(new IamGrpc(iam, recorder, afterEach))
            .executor(executor)
            .build();
  }

  /** GCP's state, offline: for reading a state file without serving it. */
  public static List<EmulatedService> offline() {
    Faults none = Faults.none();
    return List.of(
        new Iam(none, () -> {}),
        new Gke(none, Clock.systemUTC(), Latency.flat(Duration.ZERO), null, () -> {}));
  }

  public Gke gke() {
    return gke;
  }

  public List<EmulatedService> services() {
    return List.of(iam, gke);
  }

  /** Starts answering, on both ports. */
  public void start() throws IOException {
    grpc.start();
    rest.start();
  }

  /** "http://127.0.0.1:PORT": container, iam, cloudresourcemanager, serviceusage, compute. */
  public String restEndpoint() {
    return "http://127.0.0.1:" + rest.port();
  }

  /** "127.0.0.1:PORT": google.iam.admin.v1.IAM over plaintext gRPC. */
  public String grpcEndpoint() {
    return "127.0.0.1:" + grpc.getPort();
  }

  /** Stops answering; the clusters' Kubernetes APIs stop with their state kept. */
  @Override
  public void close() {
    rest.close();
    grpc.shutdownNow();
    gke.stop();
    try {
      grpc.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
