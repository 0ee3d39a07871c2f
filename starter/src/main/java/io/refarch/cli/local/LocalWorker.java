package io.refarch.cli.local;

import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The worker that runs the local server's runs: {@code refarch worker}, a process of its own so a
 * run goes on after the command that started it ends (Ctrl-C to detach, a closed terminal). It
 * leaves {@code worker.properties} next to the server's database with its pid and settings, so the
 * next command finds it or, after a reboot, starts it again with the same settings; it exits by
 * itself once no run has been open for a while ({@link #IDLE}).
 */
public final class LocalWorker {
  /** How long a worker stays without open runs (and after a command last asked for it). */
  public static final Duration IDLE = Duration.ofSeconds(60);

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final LocalTemporal server;

  /**
   * What the worker runs against: the real clouds (the user's credentials, as the command has
   * them), or a sandbox whose state, faults and latency profile ({@code default} unless given) it
   * hosts.
   */
  public record Settings(Path sandboxState, List<String> faults, String latency) {
    public Settings {
      faults = List.copyOf(faults);
      latency =
          sandboxState == null ? null : latency == null || latency.isBlank() ? "default" : latency;
    }

    public static Settings clouds() {
      return new Settings(null, List.of(), null);
    }

    public static Settings sandbox(Path state, List<String> faults) {
      return new Settings(state, faults, null);
    }

    public static Settings sandbox(Path state, List<String> faults, String latency) {
      return new Settings(state, faults, latency);
    }

    String describe() {
      return sandboxState == null
          ? "the real clouds"
          : "the sandbox in "
              + sandboxState
              + (faults.isEmpty() ? "" : " with faults " + String.join(" ", faults))
              + (latency.equals("default") ? "" : " with latency " + latency);
    }
  }

  /** A worker that is up: its pid, settings and, for a sandbox, the sandbox's endpoints. */
  public record Running(long pid, Settings settings, String gcpRest, String iamGrpc) {}

  /** The worker serves open runs with other settings, so it cannot be replaced now. */
  public static final class Busy extends Exception {
    Busy(String message) {
      super(message);
    }
  }

  public LocalWorker(LocalTemporal server) {
    this.server = server;
  }

  public Path stateFile() {
    return server.dir().resolve("worker.properties");
  }

  public Path log() {
    return server.dir().resolve("worker.log");
  }

  /** Touched by every command that counts on the worker, so it does not exit under a new run. */
  public Path lease() {
    return server.dir().resolve("worker.lease");
  }

  /** The worker, when its process is alive. */
  public Optional<Running> running() {
    return recorded().filter(r -> alive(r.pid()));
  }

  /** The settings the last worker ran with, alive or not: what a restart after a reboot uses. */
  public Optional<Settings> lastSettings() {
    return recorded().map(Running::settings);
  }

  /**
   * The worker for {@code settings}: the running one when it has them; else a new one, after
   * stopping one with other settings (only while {@code openRuns} is 0: its runs would otherwise
   * move to another cloud).
   */
  public Running ensure(String address, Settings settings, WorkflowServiceStubs stubs)
      throws IOException, InterruptedException, Busy {
    touchLease();
    Optional<Running> running = running();
    if (running.isPresent()) {
      if (running.get().settings().equals(settings)) {
        return running.get();
      }
      long open = openRuns(stubs);
      if (open > 0) {
        throw new Busy(
            "the local worker (pid "
                + running.get().pid()
                + ") runs "
                + open
                + " open run(s) against "
                + running.get().settings().describe()
                + "; this command asks for "
                + settings.describe()
                + ". Wait for those runs to end (refarch list), or cancel them (refarch cancel ID)");
      }
      stop(running.get().pid());
    }
    return start(address, settings);
  }

  private Running start(String address, Settings settings)
      throws IOException, InterruptedException {
    String nonce = UUID.randomUUID().toString();
    List<String> command = new ArrayList<>(Detached.prefix());
    command.add(ProcessHandle.current().info().command().orElse(javaFromHome()));
    command.addAll(launch(System.getProperty("java.class.path")));
    command.addAll(
        List.of("worker", "--temporal", address, "--local-dir", server.dir().toString()));
    command.addAll(List.of("--nonce", nonce));
    if (settings.sandboxState() != null) {
      command.addAll(List.of("--sandbox-state", settings.sandboxState().toString()));
      for (String f : settings.faults()) {
        command.addAll(List.of("--sandbox-fault", f));
      }
      command.addAll(List.of("--sandbox-latency", settings.latency()));
    }
    Process p = Detached.start(command, log());
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      Optional<Map<String, String>> written = Properties.read(stateFile());
      if (written.isPresent() && nonce.equals(written.get().get("nonce"))) {
        return parse(written.get());
      }
      if (!p.isAlive()) {
        throw new IOException(
            "the local worker exited with " + p.exitValue() + " at start; its log: " + log());
      }
      if (System.nanoTime() > deadline) {
        p.destroy();
        throw new IOException("the local worker did not start within 90 s; its log: " + log());
      }
      Thread.sleep(200);
    }
  }

  /** What {@code refarch worker} writes once it polls. */
  public static void record(
      Path stateFile, String nonce, Settings settings, String gcpRest, String iamGrpc) {
    Map<String, String> m = new HashMap<>();
    m.put("pid", String.valueOf(ProcessHandle.current().pid()));
    m.put("nonce", nonce == null ? "" : nonce);
    m.put("started", Instant.now().toString());
    if (settings.sandboxState() != null) {
      m.put("sandboxState", settings.sandboxState().toString());
      m.put("faults", String.join(" ", settings.faults()));
      m.put("latency", settings.latency());
      m.put("gcpRest", gcpRest);
      m.put("iamGrpc", iamGrpc);
    }
    Properties.write(stateFile, m);
  }

  private Optional<Running> recorded() {
    return Properties.read(stateFile()).filter(m -> m.containsKey("pid")).map(LocalWorker::parse);
  }

  private static Running parse(Map<String, String> m) {
    String state = m.get("sandboxState");
    String faults = m.getOrDefault("faults", "");
    Settings settings =
        state == null
            ? Settings.clouds()
            : Settings.sandbox(
                Path.of(state),
                faults.isBlank() ? List.of() : Arrays.asList(faults.trim().split(" ")),
                m.get("latency"));
    return new Running(Long.parseLong(m.get("pid")), settings, m.get("gcpRest"), m.get("iamGrpc"));
  }

  /** Runs open on the server: what keeps a worker from exiting or being replaced. */
  public static long openRuns(WorkflowServiceStubs stubs) {
    return stubs
        .blockingStub()
        .countWorkflowExecutions(
            CountWorkflowExecutionsRequest.newBuilder()
                .setNamespace("default")
                .setQuery("ExecutionStatus='Running'")
                .build())
        .getCount();
  }

  /**
   * Stops this worker so something else can hold what it holds (a sandbox's state), unless it still
   * runs open runs: those would lose their worker; the message says which.
   */
  public void release() throws IOException {
    Optional<Running> worker = running();
    if (worker.isEmpty()) {
      return;
    }
    Optional<LocalTemporal.Server> up = server.running();
    if (up.isPresent()) {
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder()
                  .setTarget(up.get().address())
                  .build());
      try {
        long open = openRuns(stubs);
        if (open > 0) {
          throw new IOException(
              "the local worker (pid "
                  + worker.get().pid()
                  + ") is running "
                  + open
                  + " open run(s) against "
                  + worker.get().settings().describe()
                  + "; wait for them to end (refarch status ID), or cancel them (refarch cancel ID)");
        }
      } finally {
        stubs.shutdownNow();
      }
    }
    stop(worker.get().pid());
  }

  public void touchLease() throws IOException {
    Path lease = lease();
    Files.createDirectories(lease.getParent());
    if (!Files.exists(lease)) {
      Files.createFile(lease);
    }
    Files.setLastModifiedTime(lease, FileTime.from(Instant.now()));
  }

  /** When a command last counted on the worker. */
  public Instant leasedAt() {
    try {
      return Files.getLastModifiedTime(lease()).toInstant();
    } catch (IOException none) {
      return Instant.EPOCH;
    }
  }

  /** Stops the worker (SIGTERM: it finishes nothing, Temporal retries its steps elsewhere). */
  public void stop() {
    running().ifPresent(r -> stop(r.pid()));
  }

  private static void stop(long pid) {
    ProcessHandle.of(pid)
        .ifPresent(
            h -> {
              h.destroy();
              h.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(t -> null).join();
            });
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * How this refarch was launched: {@code -jar} for the command-line jar (a Spring Boot jar, whose
   * classes only its own launcher finds), else the class path and the main class.
   */
  static List<String> launch(String classPath) {
    if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
      return List.of("-jar", classPath);
    }
    return List.of("-cp", classPath, "io.refarch.cli.Refarch");
  }

  private static String javaFromHome() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
