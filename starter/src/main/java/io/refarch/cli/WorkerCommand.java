package io.refarch.cli;

import io.refarch.activities.ActivityConfig;
import io.refarch.cli.local.LocalTemporal;
import io.refarch.cli.local.LocalWorker;
import io.refarch.cli.temporal.TemporalConnection;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.sandbox.core.Fault;
import io.refarch.sandbox.core.Latency;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The background worker of the local dev server (see {@link LocalWorker}): up and down start it;
 * hidden, since nobody runs it by hand (a deployed worker is the worker module's jar).
 */
@Command(
    name = "worker",
    hidden = true,
    description =
        "Serves the local Temporal's task queue in the background (started by up and down).")
final class WorkerCommand implements Callable<Integer> {
  private static final Duration LOOK = Duration.ofSeconds(5);
  private static final Duration SERVER_GONE = Duration.ofMinutes(5);

  @ParentCommand Refarch root;

  @Option(names = "--temporal", required = true, paramLabel = "HOST:PORT")
  String address;

  @Option(names = "--local-dir", required = true, paramLabel = "DIR")
  Path dir;

  @Option(names = "--nonce", paramLabel = "TEXT")
  String nonce;

  @Option(names = "--sandbox-state", paramLabel = "DIR")
  Path sandboxState;

  @Option(
      names = "--sandbox-fault",
      paramLabel = "FAULT",
      converter = SandboxFlags.FaultConverter.class)
  List<Fault> faults = new ArrayList<>();

  @Option(
      names = "--sandbox-latency",
      paramLabel = "PROFILE[:SCALE]",
      converter = SandboxFlags.LatencyConverter.class)
  Latency latency;

  @Override
  public Integer call() throws Exception {
    // In a session of its own the terminal's Ctrl-C does not reach it; where setsid is missing,
    // it still must not die with the command that started it.
    Interrupts ignored = new Interrupts();
    ignored.catchSigint();
    LocalWorker.Settings settings =
        sandboxState == null
            ? LocalWorker.Settings.clouds()
            : LocalWorker.Settings.sandbox(
                sandboxState,
                faults.stream().map(Fault::toString).toList(),
                latency == null ? null : latency.toString());
    LocalWorker worker = new LocalWorker(new LocalTemporal(dir, null));
    Sandbox sandbox = null;
    ActivityConfig config = ActivityConfig.defaults();
    String gcpRest = null;
    String iamGrpc = null;
    if (sandboxState != null) {
      SandboxOptions options = SandboxOptions.defaults(sandboxState).withFaults(faults);
      sandbox = Sandbox.start(latency == null ? options : options.withLatency(latency));
      gcpRest = sandbox.endpoints().gcpRest();
      iamGrpc = sandbox.endpoints().iamGrpc();
      config = SandboxFlags.activityConfig(sandbox, sandboxState);
    }
    TemporalConnection connection =
        TemporalConnection.withWorker(address, "default", root.activities().create(config));
    Sandbox hosted = sandbox;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  connection.close();
                  if (hosted != null) {
                    hosted.close();
                  }
                },
                "refarch-worker-stop"));
    LocalWorker.record(worker.stateFile(), nonce, settings, gcpRest, iamGrpc);
    System.out.println(
        Instant.now() + " refarch worker " + ProcessHandle.current().pid() + " polls " + address);
    Instant lastBusy = Instant.now();
    Instant serverSeen = Instant.now();
    while (true) {
      Thread.sleep(LOOK.toMillis());
      try {
        if (LocalWorker.openRuns(connection.stubs()) > 0) {
          lastBusy = Instant.now();
        }
        serverSeen = Instant.now();
      } catch (RuntimeException serverAway) {
        // A stopped server may come back with the next command, and its runs need a worker then;
        // the next command starts one anyway, so this one does not wait for ever.
        if (Duration.between(serverSeen, Instant.now()).compareTo(SERVER_GONE) > 0) {
          System.out.println(
              Instant.now() + " the server is gone since " + serverSeen + "; exiting");
          return ExitCodes.OK;
        }
        lastBusy = Instant.now();
      }
      Instant idleSince = lastBusy.isAfter(worker.leasedAt()) ? lastBusy : worker.leasedAt();
      if (Duration.between(idleSince, Instant.now()).compareTo(LocalWorker.IDLE) > 0) {
        System.out.println(Instant.now() + " no open run for " + LocalWorker.IDLE + "; exiting");
        return ExitCodes.OK;
      }
    }
  }
}
