package io.refarch.cli.local;

import io.grpc.health.v1.HealthCheckResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Temporal dev server of refarch's own on this machine, started from the {@code temporal} CLI on
 * a SQLite file and left running between commands, so a run outlives the command that started it: a
 * crash, a closed terminal or a reboot loses nothing, and the next {@code refarch} finds the run
 * where it stopped. Real clouds share one per user ({@code $REFARCH_HOME/temporal}), which makes a
 * cluster's workflow id unique on the machine; a sandbox has its own next to its state, as it is a
 * cloud of its own.
 */
public final class LocalTemporal {
  /** Where a user names the CLI, or turns the persistent server off with {@code none}. */
  public static final String ENV_CLI = "REFARCH_TEMPORAL_CLI";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final Path cli;

  /** What a running server answers on. */
  public record Server(String address, String webUi, long pid) {}

  public LocalTemporal(Path dir, Path cli) {
    this.dir = dir;
    this.cli = cli;
  }

  /** Real clouds' server: one per user, in {@code home}/temporal ({@code $REFARCH_HOME}). */
  public static LocalTemporal ofClouds(Path home, Path cli) {
    return new LocalTemporal(home.resolve("temporal"), cli);
  }

  /** A sandbox's server, next to the sandbox's state. */
  public static LocalTemporal ofSandbox(Path sandboxState, Path cli) {
    return new LocalTemporal(sandboxState.resolve("temporal"), cli);
  }

  /** How commands name it. */
  public String describe(Server running) {
    return "the local Temporal at " + running.address() + " (" + database() + ")";
  }

  /**
   * The {@code temporal} CLI: {@code $REFARCH_TEMPORAL_CLI}, else the first on {@code PATH}; empty
   * when there is none or the variable says {@code none}.
   */
  public static Optional<Path> findCli(Map<String, String> env) {
    String named = env.get(ENV_CLI);
    if (named != null && !named.isBlank()) {
      if (named.equals("none")) {
        return Optional.empty();
      }
      Path p = Path.of(named);
      if (!Files.isExecutable(p)) {
        throw new IllegalArgumentException(
            ENV_CLI
                + "="
                + named
                + " is not an executable file (set it to none for in-memory runs)");
      }
      return Optional.of(p);
    }
    String path = env.getOrDefault("PATH", "");
    for (String entry : path.split(java.io.File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path candidate = Path.of(entry, "temporal");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  public Path dir() {
    return dir;
  }

  public Path database() {
    return dir.resolve("temporal.db");
  }

  Path stateFile() {
    return dir.resolve("server.properties");
  }

  Path log() {
    return dir.resolve("server.log");
  }

  /** Whether a server was ever started here (its database exists). */
  public boolean exists() {
    return Files.exists(database());
  }

  /** The server, when one runs here and answers. */
  public Optional<Server> running() {
    return alive().filter(s -> serving(s.address(), Duration.ofSeconds(2)));
  }

  /**
   * The recorded server while its process lives: a second server on the same database would fight
   * the first over it (SQLite answers "database is locked"), so a slow one is waited for instead.
   */
  private Optional<Server> alive() {
    return recorded()
        .filter(
            s ->
                ProcessHandle.of(s.pid())
                    .filter(ProcessHandle::isAlive)
                    .filter(
                        h ->
                            h.info()
                                .commandLine()
                                .map(c -> c.contains(database().toString()))
                                .orElse(true))
                    .isPresent());
  }

  /**
   * The running server, started first when there is none; one refarch at a time starts it (a file
   * lock), the others find it started.
   */
  public Server ensureRunning() throws IOException, InterruptedException {
    Files.createDirectories(dir);
    try (FileChannel channel =
            FileChannel.open(
                dir.resolve("start.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        var lock = channel.lock()) {
      Optional<Server> alive = alive();
      if (alive.isPresent()) {
        awaitServing(alive.get(), null);
        return alive.get();
      }
      return start();
    }
  }

  private Server start() throws IOException, InterruptedException {
    // The same port as last time when it is free, so a Web UI tab or a TEMPORAL_ADDRESS still work.
    int port = recorded().map(s -> port(s.address())).filter(LocalTemporal::free).orElse(0);
    if (port == 0) {
      port = freePortPair();
    }
    int uiPort = port + 1000;
    List<String> command = new ArrayList<>(Detached.prefix());
    command.addAll(
        List.of(
            cli.toString(),
            "server",
            "start-dev",
            "--db-filename",
            database().toString(),
            "--ip",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--ui-ip",
            "127.0.0.1",
            "--ui-port",
            String.valueOf(uiPort),
            "--log-level",
            "warn"));
    Process p = Detached.start(command, log());
    String address = "127.0.0.1:" + port;
    Server server = new Server(address, "http://127.0.0.1:" + uiPort, p.pid());
    // Recorded at once: a command that dies while the server starts must not start a second.
    Properties.write(
        stateFile(),
        Map.of(
            "address", address,
            "webUi", server.webUi(),
            "pid", String.valueOf(server.pid()),
            "database", database().toString()));
    awaitServing(server, p);
    return server;
  }

  /**
   * Waits until the server answers; {@code started} is the process when this command started it.
   */
  private void awaitServing(Server server, Process started)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!serving(server.address(), Duration.ofSeconds(2))) {
      boolean alive =
          started != null
              ? started.isAlive()
              : ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive).orElse(false);
      if (!alive) {
        throw new IOException(
            "the Temporal dev server ("
                + (cli == null ? "pid " + server.pid() : cli)
                + ") exited"
                + (started != null ? " with " + started.exitValue() : "")
                + " before it answered on "
                + server.address()
                + "; its log: "
                + log());
      }
      if (System.nanoTime() > deadline) {
        if (started != null) {
          started.destroy();
        }
        throw new IOException(
            "the Temporal dev server did not answer on "
                + server.address()
                + " within "
                + START_TIMEOUT.toSeconds()
                + " s; its log: "
                + log());
      }
      Thread.sleep(250);
    }
  }

  private Optional<Server> recorded() {
    return Properties.read(stateFile())
        .filter(p -> p.containsKey("address") && p.containsKey("pid"))
        .map(
            p ->
                new Server(
                    p.get("address"), p.getOrDefault("webUi", ""), Long.parseLong(p.get("pid"))));
  }

  /** Stops the server (tests, and a user who wants the machine back); its database stays. */
  public void stop() throws InterruptedException {
    Optional<Server> recorded = recorded();
    if (recorded.isPresent()) {
      Optional<ProcessHandle> h = ProcessHandle.of(recorded.get().pid());
      if (h.isPresent()) {
        h.get().destroy();
        h.get().onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
      }
    }
  }

  static boolean serving(String address, Duration within) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(address)
                .setRpcTimeout(within)
                .build());
    try {
      return stubs.healthCheck().getStatus() == HealthCheckResponse.ServingStatus.SERVING;
    } catch (RuntimeException notYet) {
      return false;
    } finally {
      stubs.shutdownNow();
    }
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  private static boolean free(int port) {
    if (port <= 0 || port + 1000 > 65535) {
      return false;
    }
    return bindable(port) && bindable(port + 1000);
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A free port whose +1000 (the Web UI's) is free too. */
  private static int freePortPair() throws IOException {
    for (int i = 0; i < 50; i++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      if (free(port)) {
        return port;
      }
    }
    throw new UncheckedIOException(
        new IOException("no free port pair for the Temporal dev server"));
  }
}
