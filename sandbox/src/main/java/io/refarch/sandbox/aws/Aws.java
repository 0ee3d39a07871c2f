package io.refarch.sandbox.aws;

import io.refarch.sandbox.aws.autoscaling.AutoScaling;
import io.refarch.sandbox.aws.core.AwsEndpoint;
import io.refarch.sandbox.aws.core.AwsFaults;
import io.refarch.sandbox.aws.ec2.Ec2;
import io.refarch.sandbox.aws.ec2.Ec2Query;
import io.refarch.sandbox.aws.eks.Eks;
import io.refarch.sandbox.aws.eks.EksRest;
import io.refarch.sandbox.aws.iam.Iam;
import io.refarch.sandbox.aws.iam.IamQuery;
import io.refarch.sandbox.aws.quotas.AwsQuotas;
import io.refarch.sandbox.aws.quotas.ServiceQuotas;
import io.refarch.sandbox.aws.ssm.Ssm;
import io.refarch.sandbox.aws.sts.Sts;
import io.refarch.sandbox.core.EmulatedService;
import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.Latency;
import io.refarch.sandbox.core.OperationTiming;
import io.refarch.sandbox.core.RecordedRequest;
import io.refarch.sandbox.kube.KubeApiServer;
import io.refarch.sandbox.mirror.Mirror;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * The AWS that refarch's EKS procedure touches, on one HTTP endpoint of 127.0.0.1 that the SDK
 * reaches by {@code endpointOverride}: EC2 (the network, launch templates), IAM, STS, EKS
 * (clusters, node groups, access entries), SSM's AMI parameters, the node groups' Auto Scaling
 * groups and the account's quotas (Service Quotas). Requests go to a service by their signature's
 * credential scope.
 */
public final class Aws implements AutoCloseable {

  /** The account every caller belongs to. */
  public static final String ACCOUNT = "000000000000";

  /** The faults AWS calls can be given. */
  public static final AwsFaults FAULTS =
      new AwsFaults()
          .with("ec2", Ec2Query.ACTIONS)
          .with("iam", IamQuery.ACTIONS)
          .with("sts", Sts.ACTIONS)
          .with("eks", EksRest.ACTIONS)
          .with("ssm", Ssm.ACTIONS)
          .with("autoscaling", AutoScaling.ACTIONS)
          .with("servicequotas", ServiceQuotas.ACTIONS);

  private final Ec2 ec2;
  private final Iam iam;
  private final Eks eks;
  private final AwsEndpoint endpoint;

  /**
   * Binds the port ({@code port}, 0: any free one) without serving yet, so state can be restored
   * first.
   */
  public Aws(
      int port,
      ExecutorService executor,
      Faults faults,
      Clock clock,
      Latency latency,
      Consumer<RecordedRequest> recorder,
      Runnable afterEach,
      KubeApiServer.Options kubeOptions,
      Runnable changed,
      AwsQuotas quotas)
      throws IOException {
    this.ec2 = new Ec2(clock, latency, changed);
    this.iam = new Iam(ACCOUNT, clock, changed);
    this.eks = new Eks(ACCOUNT, clock, latency, ec2, iam, kubeOptions, changed);
    this.endpoint =
        new AwsEndpoint(
            port,
            executor,
            List.of(
                new Ec2Query(ec2, faults, quotas),
                new IamQuery(iam, faults),
                new Sts(ACCOUNT, faults),
                new EksRest(eks, faults, ACCOUNT),
                new Ssm(faults),
                new AutoScaling(eks, ec2, faults, ACCOUNT),
                new ServiceQuotas(ACCOUNT, quotas, faults)),
            recorder,
            afterEach);
    endpoint.serve(Mirror.PATH, new Mirror(recorder));
  }

  /** AWS's state, offline: for reading a state file without serving it. */
  public static List<EmulatedService> offline() {
    Clock clock = Clock.systemUTC();
    Latency latency = Latency.flat(Duration.ZERO);
    return List.of(
        new Ec2(clock, latency, () -> {}),
        new Iam(ACCOUNT, clock, () -> {}),
        new Eks(ACCOUNT, clock, latency, null, null, null, () -> {}));
  }

  /** The EKS and NAT gateway state changes since start, in the order they started. */
  public List<OperationTiming> timings() {
    List<OperationTiming> all = new ArrayList<>(eks.timings());
    all.addAll(ec2.timings());
    all.sort(Comparator.comparing(OperationTiming::started));
    return all;
  }

  public List<EmulatedService> services() {
    return List.of(ec2, iam, eks);
  }

  public void start() {
    endpoint.start();
  }

  /** "http://127.0.0.1:PORT": every AWS client's endpointOverride. */
  public String endpoint() {
    return endpoint.url();
  }

  /** Stops answering; the EKS clusters' Kubernetes APIs stop with their state kept. */
  @Override
  public void close() {
    endpoint.close();
    eks.stop();
  }
}
