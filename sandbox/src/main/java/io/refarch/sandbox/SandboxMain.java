package io.refarch.sandbox;

import io.refarch.sandbox.aws.quotas.AwsQuotas;
import io.refarch.sandbox.core.Fault;
import io.refarch.sandbox.core.Latency;
import io.refarch.sandbox.gcp.GcpProject;
import io.refarch.sandbox.kube.KubeTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve [--state DIR] [--port N] [--operation-duration MILLIS] [--latency PROFILE[:SCALE]]
 * [--token-lifetime SECONDS] [--node-delay MILLIS] [--fault SPEC]... [--disable-api SERVICE]...
 * [--quota [REGION/]METRIC=LIMIT]... [--aws-quota CODE=LIMIT]...}: runs a sandbox until killed and
 * prints its endpoints as {@code KEY=VALUE} lines, for scripts and for gcloud by hand.
 */
public final class SandboxMain {

  private SandboxMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("serve")) {
      System.err.println(
          "usage: serve [--state DIR] [--port N] [--operation-duration MILLIS] [--latency default|realistic[:SCALE]] [--token-lifetime SECONDS]"
              + " [--node-delay MILLIS] [--fault op[:resource]=CODE[xN]]... [--disable-api SERVICE]... [--quota [REGION/]METRIC=LIMIT]... [--aws-quota CODE=LIMIT]...");
      System.exit(2);
    }
    Path state = Path.of(System.getProperty("java.io.tmpdir"), "refarch-sandbox");
    int port = 0;
    Duration duration = Duration.ofMillis(300);
    List<Fault> faults = new ArrayList<>();
    Duration tokenLifetime = KubeTokens.DEFAULT_LIFETIME;
    GcpProject project = GcpProject.defaults();
    AwsQuotas awsQuotas = AwsQuotas.defaults();
    Duration nodeDelay = Duration.ZERO;
    String latency = null;
    try {
      for (int i = 1; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--state" -> state = Path.of(require(args[i], value));
          case "--port" -> port = Integer.parseInt(require(args[i], value));
          case "--operation-duration" ->
              duration = Duration.ofMillis(Long.parseLong(require(args[i], value)));
          case "--latency" -> latency = require(args[i], value);
          case "--token-lifetime" ->
              tokenLifetime = Duration.ofSeconds(Long.parseLong(require(args[i], value)));
          case "--node-delay" ->
              nodeDelay = Duration.ofMillis(Long.parseLong(require(args[i], value)));
          case "--fault" -> faults.add(Sandbox.parseFault(require(args[i], value)));
          case "--disable-api" -> project = project.withDisabledApi(require(args[i], value));
          case "--quota" -> project = project.withQuota(require(args[i], value));
          case "--aws-quota" -> awsQuotas = awsQuotas.with(require(args[i], value));
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
        i++;
      }
    } catch (IllegalArgumentException e) {
      System.err.println("sandbox: " + e.getMessage());
      System.exit(2);
      return;
    }
    Latency profile;
    try {
      profile = latency == null ? Latency.flat(duration) : Latency.parse(latency, duration);
    } catch (IllegalArgumentException e) {
      System.err.println("sandbox: --latency: " + e.getMessage());
      System.exit(2);
      return;
    }
    Sandbox sandbox =
        Sandbox.start(
            new SandboxOptions(
                state,
                port,
                duration,
                faults,
                tokenLifetime,
                project,
                nodeDelay,
                profile,
                awsQuotas));
    Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
    SandboxEndpoints e = sandbox.endpoints();
    System.out.println("GCP_REST=" + e.gcpRest());
    System.out.println("IAM_GRPC=" + e.iamGrpc());
    System.out.println("AWS=" + e.aws());
    System.out.println("AZURE=" + e.azure());
    System.out.println("AZURE_CA=" + sandbox.azureCertificateAuthorityFile().toAbsolutePath());
    System.out.println("STATE_DIR=" + state.toAbsolutePath());
    System.out.println("TOKEN_ENDPOINT=" + e.gcpRest() + "/token");
    System.out.flush();
    new CountDownLatch(1).await();
  }

  private static String require(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }
}
