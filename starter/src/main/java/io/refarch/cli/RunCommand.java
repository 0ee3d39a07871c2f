package io.refarch.cli;

import io.refarch.activities.ActivityConfig;
import io.refarch.activities.GcpConnection;
import io.refarch.cli.history.RunArchive;
import io.refarch.cli.temporal.TemporalConnection;
import io.refarch.cli.temporal.WorkerCheck;
import io.refarch.cli.watch.LineView;
import io.refarch.cli.watch.ProgressView;
import io.refarch.cli.watch.RunEnding;
import io.refarch.cli.watch.RunWatcher;
import io.refarch.cli.watch.TtyView;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxEndpoints;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Progress;
import io.refarch.workflow.RunIds;
import io.refarch.workflow.RunSearchAttributes;
import io.refarch.workflow.WorkerCapabilities;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** What {@code up} and {@code down} share: start one workflow for a spec, follow it, sum it up. */
abstract class RunCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(250);

  @ParentCommand Refarch root;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "SPEC",
      description = "The cluster spec (YAML).")
  Path file;

  @Mixin TemporalOptions temporal;

  @Mixin SandboxFlags sandbox;

  abstract String workflowType();

  /** Starts the workflow; the options carry id, task queue and search attributes. */
  abstract WorkflowExecution start(
      WorkflowClient client, WorkflowOptions options, ClusterSpec spec);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = root.out();
    PrintWriter err = root.err();
    ClusterSpec spec = SpecInput.load(root, file);
    if (spec == null) {
      return ExitCodes.BAD_INPUT;
    }
    String address = temporal.address(root.env());
    if (!sandbox.enabled && (!sandbox.faults.isEmpty() || sandbox.state != null)) {
      err.println("refarch: --sandbox-fault and --sandbox-state need --sandbox");
      return ExitCodes.BAD_INPUT;
    }
    if (sandbox.enabled && address != null) {
      err.println(
          "refarch: --sandbox runs the activities in this process, so it cannot be combined with --temporal "
              + "(or TEMPORAL_ADDRESS), whose workers run their own");
      return ExitCodes.BAD_INPUT;
    }
    // Activity clients connect lazily, so making them here to look at their types costs nothing.
    if (address == null && !canRun(spec, root.activities().create(ActivityConfig.defaults()))) {
      err.println(
          "refarch: cloud: "
              + spec.cloud().id()
              + " has no activities in this build yet (only the workflow"
              + " and `refarch plan` exist for it); nothing was started");
      return ExitCodes.BAD_INPUT;
    }
    String workflowId = RunIds.workflowId(spec);
    RunLock lock = null;
    if (address == null) {
      // A sandbox is a cloud of its own, one per state directory; a real cloud is the machine's.
      Path locks = sandbox.enabled ? sandbox.stateDir(root).resolve("locks") : root.locksDir();
      lock = RunLock.tryAcquire(locks, workflowId);
      if (lock == null) {
        err.println(
            "refarch: a run for "
                + workflowId
                + " is already going (another refarch on this machine holds "
                + RunLock.file(locks, workflowId)
                + "); nothing was started");
        return ExitCodes.ALREADY_RUNNING;
      }
    }
    Sandbox emulated = null;
    try {
      ActivityConfig config = ActivityConfig.defaults();
      if (sandbox.enabled) {
        Path state = sandbox.stateDir(root);
        emulated = Sandbox.start(SandboxOptions.defaults(state).withFaults(sandbox.faults));
        SandboxEndpoints endpoints = emulated.endpoints();
        config =
            config
                .withGcp(GcpConnection.sandbox(endpoints.gcpRest(), endpoints.iamGrpc()))
                .withKubeconfigDir(state.resolve("kubeconfig"));
        out.println(
            "Sandbox: "
                + endpoints.gcpRest()
                + " (IAM gRPC "
                + endpoints.iamGrpc()
                + "), state in "
                + state);
      }
      try (TemporalConnection connection =
          address == null
              ? TemporalConnection.embedded(root.activities().create(config))
              : TemporalConnection.remote(address, temporal.namespace)) {
        if (address != null) {
          // Checked before anything is registered or started: the run goes to whichever worker
          // polls the task queue, not to this build's activities.
          WorkerCheck.Result workers =
              WorkerCheck.check(
                  connection.stubs(), connection.namespace(), RunIds.TASK_QUEUE, spec.cloud());
          if (workers.verdict() == WorkerCheck.Verdict.REFUSE) {
            err.println("refarch: cloud: " + spec.cloud().id() + ": " + workers.message());
            return ExitCodes.BAD_INPUT;
          }
          if (workers.message() != null) {
            err.println("refarch: warning: " + workers.message());
            err.flush();
          }
          connection.registerSearchAttributes();
        }
        return run(connection, spec, workflowId);
      }
    } finally {
      if (emulated != null) {
        emulated.close();
      }
      if (lock != null) {
        lock.close();
      }
    }
  }

  /** Without the cloud's activities an in-process run would fail at its first step. */
  private static boolean canRun(ClusterSpec spec, List<Object> activities) {
    return WorkerCapabilities.clouds(activities).contains(spec.cloud());
  }

  private int run(TemporalConnection connection, ClusterSpec spec, String workflowId)
      throws Exception {
    PrintWriter out = root.out();
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(RunIds.TASK_QUEUE)
            .setStaticSummary(RunIds.summary(spec))
            .setTypedSearchAttributes(
                SearchAttributes.newBuilder()
                    .set(RunSearchAttributes.CLOUD, spec.cloud().id())
                    .set(RunSearchAttributes.CLUSTER, spec.name())
                    .build())
            .build();
    WorkflowExecution execution;
    try {
      execution = start(connection.client(), options, spec);
    } catch (WorkflowExecutionAlreadyStarted e) {
      root.err()
          .println(
              "refarch: a run for "
                  + workflowId
                  + " is already going (run "
                  + e.getExecution().getRunId()
                  + "); nothing was started. Follow it with: refarch status "
                  + workflowId
                  + " --temporal ...");
      return ExitCodes.ALREADY_RUNNING;
    }
    out.println(workflowType() + " " + workflowId + " started on " + connection.describe());
    out.println("  run " + execution.getRunId());
    out.flush();

    RunWatcher watcher = new RunWatcher(connection.client(), POLL);
    ProgressView view = root.tty() ? new TtyView(out) : new LineView(out, Instant.now());
    CountDownLatch finished = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread hook =
        root.handlesSignals()
            ? interruptHook(connection, watcher, execution, finished, interrupted)
            : null;
    try {
      RunWatcher.Observation last = watcher.watch(execution, view);
      Progress progress = last.snapshot().progress();
      RunEnding ending = RunEnding.of(watcher.stub(execution), last.status());
      ending.print(out, last.snapshot());
      if (connection.embedded()) {
        RunArchive archive = new RunArchive(root.runsDir());
        Path saved =
            archive.save(
                workflowId,
                execution.getRunId(),
                connection.client().fetchHistory(workflowId, execution.getRunId()));
        if (progress != null) {
          archive.saveProgress(workflowId, execution.getRunId(), progress);
        }
        out.println(
            "History: "
                + root.workDir().relativize(saved)
                + " (refarch history "
                + workflowId
                + ")");
      } else {
        out.println("History: refarch history " + workflowId + " --temporal ...");
      }
      out.flush();
      return ending.exitCode();
    } finally {
      finished.countDown();
      if (hook != null && !interrupted.get()) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is already running
        }
      }
    }
  }

  /**
   * Ctrl-C. An in-process run dies with the process, so it is cancelled and the hook waits while
   * the workflow deletes what it created; a run on a real server goes on, and only watching stops.
   */
  private Thread interruptHook(
      TemporalConnection connection,
      RunWatcher watcher,
      WorkflowExecution execution,
      CountDownLatch finished,
      AtomicBoolean interrupted) {
    Thread hook =
        new Thread(
            () -> {
              if (finished.getCount() == 0) {
                return;
              }
              interrupted.set(true);
              PrintWriter err = root.err();
              if (!connection.embedded()) {
                err.println();
                err.println(
                    "refarch: stopped watching; the run goes on. Follow it with: refarch status "
                        + execution.getWorkflowId()
                        + " --temporal ...");
                err.flush();
                return;
              }
              err.println();
              err.println(
                  "refarch: interrupted: cancelling the run and deleting what it created...");
              err.flush();
              try {
                watcher.stub(execution).cancel();
                finished.await(10, TimeUnit.MINUTES);
              } catch (RuntimeException | InterruptedException e) {
                err.println("refarch: could not cancel cleanly: " + Errors.message(e));
              }
            },
            "refarch-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }
}
