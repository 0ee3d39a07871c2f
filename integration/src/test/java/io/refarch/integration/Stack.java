package io.refarch.integration;

import static io.refarch.integration.Child.await;
import static io.refarch.integration.Child.seconds;

import io.refarch.sandbox.azure.Azure;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.Specs;
import io.refarch.workflow.RunIds;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three processes a user runs: the Temporal dev server (SQLite file, search attributes
 * registered), the sandbox standing in for Google Cloud, and the worker jar pointed at both. Each
 * is its own OS process so the tests can SIGKILL or stop one and start it again.
 *
 * <p>Set by .ci/integration (defaults for a run from the IDE): {@code refarch.temporal} the CLI
 * binary, {@code refarch.workerJar} the repackaged worker, {@code refarch.runDir} where logs, the
 * database, the sandbox state and the kubeconfigs go.
 */
final class Stack implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final Path repo = Path.of(System.getProperty("refarch.repo", "..")).toAbsolutePath().normalize();
  final Path runDir;
  final Path kubeconfigDir;
  private final String temporalBinary = System.getProperty("refarch.temporal", "temporal");
  private final Path workerJar;
  private final int temporalPort;
  private final int sandboxPort;
  final TemporalCli temporal;
  private final boolean webUi;

  private Child devServer;
  private Child sandbox;
  private String sandboxControl;
  private String sandboxRest;
  private String sandboxAws;
  private String sandboxAzure;
  private String sandboxAzureCa;
  private Child worker;
  private final List<Child> allWorkers = new ArrayList<>();
  private int workers;
  private int workerPort;
  private String sandboxHeap = "256m";

  /**
   * @param name this stack's directory under the run directory
   */
  Stack(String name) throws IOException {
    this(name, false);
  }

  /**
   * @param webUi whether the dev server serves its Web UI (on its port + 1000)
   */
  Stack(String name, boolean webUi) throws IOException {
    this.webUi = webUi;
    runDir =
        Path.of(
                System.getProperty(
                    "refarch.runDir", repo.resolve("integration/target/run").toString()))
            .toAbsolutePath()
            .resolve(name);
    Files.createDirectories(runDir);
    kubeconfigDir = Files.createDirectories(runDir.resolve("kubeconfig"));
    workerJar =
        Path.of(
            System.getProperty(
                "refarch.workerJar",
                repo.resolve("worker/target/refarch-worker-0.1.0-SNAPSHOT.jar").toString()));
    if (!Files.isRegularFile(workerJar)) {
      throw new IllegalStateException(
          workerJar + " is missing: ./mvnw -B -q -pl worker -am package -DskipTests");
    }
    temporalPort = freePort(1000);
    sandboxPort = freePort(1);
    temporal = new TemporalCli(temporalBinary, "127.0.0.1:" + temporalPort);
  }

  // ---- Temporal dev server ----

  /** Starts (or starts again) the dev server on the same port and the same database file. */
  void startDevServer() {
    devServer =
        Child.start(
            "temporal dev server",
            List.of(
                temporalBinary,
                "server",
                "start-dev",
                "--db-filename",
                runDir.resolve("temporal.db").toString(),
                webUi ? "--ui-ip=127.0.0.1" : "--headless",
                "--ip",
                "127.0.0.1",
                "--port",
                String.valueOf(temporalPort),
                "--ui-port",
                String.valueOf(temporalPort + 1000),
                "--search-attribute",
                "RefarchCloud=Keyword",
                "--search-attribute",
                "RefarchCluster=Keyword",
                "--search-attribute",
                "RefarchStep=Keyword",
                "--log-level",
                "warn"),
            Map.of(),
            runDir.resolve("temporal.log"));
    await(
        seconds(60),
        "the dev server to serve on " + temporal.address(),
        () -> {
          assertAlive(devServer);
          return temporal.tryRun("operator", "cluster", "health").stdout().contains("SERVING");
        });
  }

  void stopDevServer() {
    devServer.stop();
  }

  int uiPort() {
    return temporalPort + 1000;
  }

  // ---- sandbox ----

  /**
   * Starts the sandbox on the same ports and state as before, so a running worker keeps finding it.
   */
  void startSandbox(Duration operationDuration, String... faults) {
    startSandbox(operationDuration, List.of(), faults);
  }

  /**
   * As {@link #startSandbox(Duration, String...)}, with more of {@link SandboxWithControl}'s
   * options ({@code --token-lifetime SECONDS}, {@code --node-delay MILLIS}, {@code --operation
   * KIND=MILLIS}).
   */
  void startSandbox(Duration operationDuration, List<String> options, String... faults) {
    if (sandbox != null && sandbox.alive()) {
      sandbox.stop();
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                java(),
                "-Xmx" + sandboxHeap,
                "-cp",
                System.getProperty("java.class.path"),
                SandboxWithControl.class.getName(),
                "--state",
                runDir.resolve("sandbox").toString(),
                "--port",
                String.valueOf(sandboxPort),
                "--operation-duration",
                String.valueOf(operationDuration.toMillis())));
    command.addAll(options);
    for (String f : faults) {
      command.add("--fault");
      command.add(f);
    }
    Path log = runDir.resolve("sandbox.log");
    sandbox = Child.start("sandbox", command, Map.of(), log);
    Pattern control = Pattern.compile("(?m)^CONTROL=(\\S+)$");
    await(
        seconds(60),
        "the sandbox to print its endpoints",
        () -> {
          assertAlive(sandbox);
          return control.matcher(sandbox.output()).results().count() >= 1
              && lastMatch(control, sandbox.output()) != null
              && get(lastMatch(control, sandbox.output()) + "/inventory") != null;
        });
    sandboxControl = lastMatch(control, sandbox.output());
    sandboxRest = lastMatch(Pattern.compile("(?m)^GCP_REST=(\\S+)$"), sandbox.output());
    sandboxAws = lastMatch(Pattern.compile("(?m)^AWS=(\\S+)$"), sandbox.output());
    sandboxAzure = lastMatch(Pattern.compile("(?m)^AZURE=(\\S+)$"), sandbox.output());
    sandboxAzureCa = lastMatch(Pattern.compile("(?m)^AZURE_CA=(\\S+)$"), sandbox.output());
  }

  /** The sandbox's heap from its next start on (a fleet's thousand clusters need more). */
  void sandboxHeap(String heap) {
    sandboxHeap = heap;
  }

  String sandboxRest() {
    return sandboxRest;
  }

  String sandboxIamGrpc() {
    return "127.0.0.1:" + (sandboxPort + 1);
  }

  /** What exists in the emulated cloud, one resource a line. */
  List<String> inventory() {
    String body = get(sandboxControl + "/inventory");
    return body == null || body.isEmpty() ? List.of() : List.of(body.split("\n"));
  }

  /** Every request the sandbox received since it started: method, path, query, body. */
  String requestsJson() {
    return get(sandboxControl + "/requests");
  }

  /** {@link #requestsJson()}, one JSON object per request. */
  List<com.fasterxml.jackson.databind.JsonNode> requests() throws IOException {
    List<com.fasterxml.jackson.databind.JsonNode> all = new ArrayList<>();
    TemporalCli.JSON.readTree(requestsJson()).forEach(all::add);
    return all;
  }

  /** A run's history, as {@code temporal workflow show} prints it. */
  History history(String workflowId) {
    return new History(temporal.json("workflow", "show", "--workflow-id", workflowId));
  }

  /** A GKE REST GET on the sandbox (listOperations, getCluster...). */
  String gke(String path) {
    return get(sandboxRest + path);
  }

  // ---- worker ----

  /**
   * Starts a worker jar, configured through the environment variables application.yaml documents.
   */
  void startWorker() {
    startWorker(Map.of());
  }

  /** Starts a worker jar with additional environment variables (payload encryption, ...). */
  void startWorker(Map<String, String> extraEnv) {
    startWorker(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"), extraEnv, List.of());
  }

  /**
   * Starts a worker jar with these JVM options (its heap), additional environment variables and
   * Spring arguments ({@code --name=value}).
   */
  void startWorker(List<String> jvmOptions, Map<String, String> extraEnv, List<String> arguments) {
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", workerJar.toString()));
    command.addAll(arguments);
    Map<String, String> env = new java.util.HashMap<>(System.getenv());
    env.put("REFARCH_KUBECONFIG_DIR", kubeconfigDir.toString());
    env.putAll(extraEnv);
    startWorker(command, env);
  }

  /**
   * Starts a worker jar as if on a host of its own: its own home, temporary and kubeconfig
   * directories under {@code hosts/HOST}, so nothing one worker writes is on another's disk.
   */
  Worker startWorkerOnHost(String host) throws IOException {
    Path home = Files.createDirectories(runDir.resolve("hosts").resolve(host));
    Path tmp = Files.createDirectories(home.resolve("tmp"));
    List<String> command =
        new ArrayList<>(
            List.of(
                java(),
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-Duser.home=" + home,
                "-Djava.io.tmpdir=" + tmp,
                "-jar",
                workerJar.toString()));
    Map<String, String> env = new java.util.HashMap<>(System.getenv());
    env.put("HOME", home.toString());
    env.remove("REFARCH_KUBECONFIG_DIR");
    startWorker(command, env);
    return new Worker(host, worker, home);
  }

  /** A worker started on a host of its own. */
  record Worker(String host, Child process, Path home) {
    /** The identity its SDK writes into history: pid@hostname. */
    String identityPrefix() {
      return process.pid() + "@";
    }

    boolean ran(String identity) {
      return identity != null && identity.startsWith(identityPrefix());
    }

    /** Every regular file under its home, but the JVM's own temporary files. */
    List<Path> files() throws IOException {
      try (var walk = Files.walk(home)) {
        return walk.filter(Files::isRegularFile)
            .filter(f -> !f.startsWith(home.resolve("tmp")))
            .toList();
      }
    }
  }

  /**
   * Starts a worker with the given command and base environment (an image's entrypoint and Env),
   * adding the connection settings a deployment gives it.
   */
  void startWorker(List<String> baseCommand, Map<String, String> baseEnv) {
    int port = freePort(0);
    workerPort = port;
    workers++;
    List<String> command = new ArrayList<>(baseCommand);
    command.addAll(
        List.of("--refarch.poll-initial=200ms", "--refarch.poll-max=1s", "--refarch.node-wait=2m"));
    Map<String, String> env = new java.util.HashMap<>(baseEnv);
    env.putAll(
        Map.of(
            "TEMPORAL_ADDRESS",
            temporal.address(),
            "TEMPORAL_NAMESPACE",
            "default",
            "REFARCH_WORKER_PORT",
            String.valueOf(port),
            "REFARCH_GCP_SANDBOX",
            "true",
            "REFARCH_GCP_REST_ENDPOINT",
            sandboxRest,
            "REFARCH_GCP_IAM_GRPC_TARGET",
            sandboxIamGrpc(),
            // EKS against the sandbox's AWS, with its static keys; the tigera-operator manifest
            // from its mirror, as an air-gapped worker gets it.
            "REFARCH_AWS_SANDBOX",
            "true",
            "REFARCH_AWS_ENDPOINT",
            sandboxAws,
            "REFARCH_MIRROR",
            sandboxAws + "/mirror"));
    // AKS against the sandbox's Azure (Resource Manager and Entra on one HTTPS endpoint, trusted
    // through its CA file), signed in by azure-identity's environment credential as the sandbox's
    // service principal.
    Map.of(
            "REFARCH_AZURE_ENDPOINT",
            sandboxAzure,
            "REFARCH_AZURE_CA_FILE",
            sandboxAzureCa,
            "AZURE_TENANT_ID",
            Azure.SANDBOX_TENANT_ID,
            "AZURE_CLIENT_ID",
            Azure.SANDBOX_CLIENT_ID,
            "AZURE_CLIENT_SECRET",
            Azure.SANDBOX_CLIENT_SECRET)
        // A base environment may name its own (the image's chroot cannot see the sandbox's files).
        .forEach(env::putIfAbsent);
    worker =
        Child.start(
            "worker " + workers, command, env, runDir.resolve("worker-" + workers + ".log"), true);
    allWorkers.add(worker);
    Child started = worker;
    await(
        seconds(120),
        "worker " + workers + " to report UP on /actuator/health",
        () -> {
          assertAlive(started);
          String health = get("http://127.0.0.1:" + port + "/actuator/health");
          return health != null && health.contains("\"UP\"");
        });
  }

  /** The running worker's process id. */
  long workerPid() {
    return worker.pid();
  }

  /** The running sandbox's process id. */
  long sandboxPid() {
    return sandbox.pid();
  }

  /** The running dev server's process id. */
  long devServerPid() {
    return devServer.pid();
  }

  /** The identity the worker's SDK writes into history: pid@hostname. */
  String workerIdentityPrefix() {
    return worker.pid() + "@";
  }

  /**
   * The running worker's HTTP port: health and metrics (the codec server has a port of its own).
   */
  int workerPort() {
    return workerPort;
  }

  void killWorker() {
    worker.kill();
  }

  @Override
  public void close() {
    List<Child> all = new ArrayList<>(allWorkers);
    all.add(sandbox);
    all.add(devServer);
    for (Child c : all) {
      if (c != null && c.alive()) {
        c.kill();
      }
    }
  }

  // ---- runs ----

  /**
   * Starts a provisioning run of examples/gke.yaml with cluster name and project id set to {@code
   * name}, from the CLI, with the defaulted spec as JSON input; returns the workflow id.
   */
  String startProvisioning(String name, String... cliOptions) throws Exception {
    return start(writeInput(name), cliOptions);
  }

  /** {@code temporal workflow start} of a ProvisionCluster run of {@code run}'s input. */
  private String start(RunInput run, String... cliOptions) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "workflow",
                "start",
                "--type",
                "ProvisionCluster",
                "--task-queue",
                RunIds.TASK_QUEUE,
                "--workflow-id",
                run.workflowId(),
                "--input-file",
                run.json().toString()));
    args.addAll(List.of(cliOptions));
    temporal.run(args.toArray(String[]::new));
    return run.workflowId();
  }

  /**
   * Starts a provisioning run of examples/eks.yaml (its cluster named {@code name}, {@code
   * extraYaml} appended) from the CLI, as {@link #startProvisioning} does for GKE; saves the spec
   * as {@code name}.yaml in the run directory; returns the workflow id.
   */
  String startEksProvisioning(String name, String extraYaml) throws Exception {
    String yaml =
        Files.readString(repo.resolve("examples/eks.yaml")).replace("name: gitpod", "name: " + name)
            + extraYaml;
    return start(writeInput(name, yaml));
  }

  /**
   * Starts a provisioning run of examples/aks.yaml (its cluster named {@code name}, so its resource
   * group {@code name}-rg; {@code extraYaml} appended) from the CLI, as {@link
   * #startEksProvisioning} does; saves the spec as {@code name}.yaml in the run directory; returns
   * the workflow id.
   */
  String startAksProvisioning(String name, String extraYaml) throws Exception {
    String yaml =
        Files.readString(repo.resolve("examples/aks.yaml")).replace("name: gitpod", "name: " + name)
            + extraYaml;
    return start(writeInput(name, yaml));
  }

  /** A run's input: the defaulted spec as JSON, and the workflow id it implies. */
  record RunInput(String workflowId, Path json) {}

  /**
   * examples/gke.yaml with cluster name and project id set to {@code name}, defaulted, as the JSON
   * input.
   */
  RunInput writeInput(String name) throws Exception {
    String yaml =
        Files.readString(repo.resolve("examples/gke.yaml"))
            .replace("name: gitpod", "name: " + name)
            .replace("project: my-gcp-project", "project: " + name);
    return writeInput(name, yaml);
  }

  /** The spec {@code yaml}, saved as {@code name}.yaml, defaulted, as the JSON input. */
  RunInput writeInput(String name, String yaml) throws Exception {
    Path specYaml = runDir.resolve(name + ".yaml");
    Files.writeString(specYaml, yaml);
    ClusterSpec spec = Specs.load(specYaml);
    // The defaulted spec as the SDK's own JSON converter writes it: what `refarch plan --json`
    // prints.
    Path input = runDir.resolve(name + ".json");
    Files.write(
        input,
        new JacksonJsonPayloadConverter().toData(spec).orElseThrow().getData().toByteArray());
    return new RunInput(RunIds.workflowId(spec), input);
  }

  /** Runs the refarch CLI jar (starter/target/refarch.jar); null when it was not built. */
  TemporalCli.Result refarch(String... args) throws Exception {
    Path jar = repo.resolve("starter/target/refarch.jar");
    if (!Files.isRegularFile(jar)) {
      return null;
    }
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jar.toString()));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(runDir.toFile())
            .redirectError(runDir.resolve("refarch-cli.log").toFile())
            .start();
    p.getOutputStream().close();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("refarch " + String.join(" ", args) + " did not finish");
    }
    return new TemporalCli.Result(p.exitValue(), out, "");
  }

  // ---- plumbing ----

  private static void assertAlive(Child child) {
    if (!child.alive()) {
      throw new AssertionError(child + " exited:\n" + tail(child.output()));
    }
  }

  static String tail(String text) {
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }

  private static String lastMatch(Pattern p, String text) {
    String last = null;
    Matcher m = p.matcher(text);
    while (m.find()) {
      last = m.group(1);
    }
    return last;
  }

  private static String get(String url) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() / 100 == 2 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * A free loopback port p such that p + offset is free too (the UI port, the sandbox's gRPC port).
   */
  private static int freePort(int offset) {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket a = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        int p = a.getLocalPort();
        if (offset == 0) {
          return p;
        }
        if (p + offset > 65535) {
          continue;
        }
        try (ServerSocket b =
            new ServerSocket(p + offset, 1, java.net.InetAddress.getLoopbackAddress())) {
          return p;
        } catch (IOException taken) {
          // try another
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free loopback ports");
  }
}
