package io.refarch.cli;

import com.google.auth.oauth2.GoogleCredentials;
import io.fabric8.kubernetes.client.Config;
import io.refarch.activities.GcpConnection;
import io.refarch.activities.aks.AksKubeAccess;
import io.refarch.activities.aks.AzureConnection;
import io.refarch.activities.eks.AwsConnection;
import io.refarch.activities.eks.EksKubeAccess;
import io.refarch.activities.gke.ClusterPath;
import io.refarch.activities.gke.GkeKubeAccess;
import io.refarch.activities.gke.kubeconfig.KubeconfigFiles;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxEndpoints;
import io.refarch.spec.Cloud;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.kubernetes.ClusterRef;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "kubeconfig",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Writes a kubeconfig for a run's cluster on this machine (a 0600 file).",
      "The run's id (refarch/gcp/<project>/<region>/<name>, as up and the run's",
      "outcome print it) names the cluster; or give its spec (-f).",
      "As `gcloud container clusters get-credentials` writes it: endpoint and CA from",
      "the cloud, and the gke-gcloud-auth-plugin exec plugin, which gets a token from",
      "your own gcloud login on every use; the file holds no token.",
      "EKS (refarch/aws/<account>/<region>/<name>): as `aws eks update-kubeconfig`",
      "writes it, with `aws eks get-token` as the exec plugin.",
      "With --sandbox, for a cluster of the running sandbox (`refarch sandbox serve`):",
      "the file holds a token the sandbox issued, good for its token lifetime (an hour",
      "by default; 15 minutes for EKS); run again for a new one.",
      "Runs write no kubeconfig anywhere: this is how to get one."
    })
final class KubeconfigCommand implements Callable<Integer> {
  @ParentCommand Refarch root;

  @Parameters(
      arity = "0..1",
      paramLabel = "ID",
      description =
          "A run's workflow id: refarch/<cloud>/<owner>/<region>/<name>. No Temporal server is asked:"
              + " the id names the cluster.")
  String workflowId;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "SPEC",
      description =
          "The cluster spec (YAML: a refarch ClusterSpec or an eksctl ClusterConfig), instead of an ID.")
  Path file;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description =
          "Where to write it (default: ./kubeconfig-<cluster>.yaml). Replaced if it exists.")
  Path output;

  @Option(
      names = "--sandbox",
      description = "For a cluster of the sandbox running on --sandbox-state.")
  boolean sandbox;

  @Option(
      names = "--sandbox-state",
      paramLabel = "DIR",
      description = "The running sandbox's state (default: .refarch/sandbox).")
  Path sandboxState;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = root.err();
    if (sandboxState != null && !sandbox) {
      err.println("refarch: --sandbox-state needs --sandbox");
      return ExitCodes.BAD_INPUT;
    }
    if ((workflowId == null) == (file == null)) {
      err.println(
          "refarch: give a run's ID or --file SPEC (one of them), e.g. `refarch kubeconfig"
              + " refarch/gcp/my-project/us-central1/gitpod`");
      return ExitCodes.BAD_INPUT;
    }
    ClusterRef cluster;
    String given;
    if (workflowId != null) {
      given = "ID " + workflowId;
      try {
        cluster = ClusterRef.ofWorkflowId(workflowId);
      } catch (IllegalArgumentException e) {
        err.println("refarch: ID " + e.getMessage());
        return ExitCodes.BAD_INPUT;
      }
    } else {
      given = "-f " + file;
      ClusterSpec spec = SpecInput.load(root, file);
      if (spec == null) {
        return ExitCodes.BAD_INPUT;
      }
      cluster = ClusterRef.of(spec);
    }
    Path target =
        root.resolve(output != null ? output : Path.of("kubeconfig-" + cluster.name() + ".yaml"));
    if (Files.isDirectory(target)) {
      err.println("refarch: -o " + target + " is a directory; give a file name");
      return ExitCodes.BAD_INPUT;
    }
    Path parent = target.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      err.println("refarch: -o " + target + ": directory " + parent + " does not exist");
      return ExitCodes.BAD_INPUT;
    }

    Optional<SandboxEndpoints> running = Optional.empty();
    if (sandbox) {
      Path state = sandboxStateDir();
      running = Sandbox.running(state);
      if (running.isEmpty()) {
        err.println(
            "refarch: no sandbox is running on "
                + state
                + "; start one with `refarch sandbox serve"
                + (sandboxState != null ? " --sandbox-state " + sandboxState : "")
                + "` (its clusters answer only while it runs)");
        return ExitCodes.RUN_FAILED;
      }
    }
    if (cluster.cloud() == Cloud.AWS) {
      return eks(cluster, target, running);
    }
    if (cluster.cloud() == Cloud.AZURE) {
      return aks(cluster, target, running);
    }

    ClusterPath path = new ClusterPath(cluster.owner(), cluster.region(), cluster.name());
    String name = "gke_" + path.project() + "_" + path.location() + "_" + path.cluster();
    GcpConnection connection =
        running.isPresent()
            ? GcpConnection.sandbox(running.get().gcpRest(), running.get().iamGrpc())
            : GcpConnection.real();

    String content;
    try (GkeKubeAccess access = new GkeKubeAccess(connection)) {
      GkeKubeAccess.Endpoint endpoint = access.endpoint(path);
      content =
          sandbox
              ? withToken(name, endpoint, sandboxToken(connection))
              : withAuthPlugin(name, endpoint);
    } catch (ApplicationFailure e) {
      err.println("refarch: " + e.getOriginalMessage());
      return ExitCodes.RUN_FAILED;
    }
    write(target, content);
    PrintWriter out = root.out();
    out.println("Wrote " + target + " (context " + name + ")");
    out.println(
        sandbox
            ? "  It holds a token of the sandbox, valid for the sandbox's token lifetime; run this again"
                + " for a new one."
            : "  kubectl gets a token from your gcloud login through gke-gcloud-auth-plugin on each"
                + " use (install it with `gcloud components install gke-gcloud-auth-plugin`).");
    out.println("  KUBECONFIG=" + target + " kubectl get nodes");
    return ExitCodes.OK;
  }

  /**
   * As {@code aws eks update-kubeconfig} writes it: endpoint and CA from DescribeCluster, the
   * context named by the cluster's ARN, and {@code aws eks get-token} as the exec plugin (the file
   * holds no token). On the sandbox: a {@code k8s-aws-v1.} token signed with the sandbox's keys
   * instead, which the sandbox accepts for 15 minutes, as EKS does.
   */
  private int eks(ClusterRef cluster, Path target, Optional<SandboxEndpoints> running)
      throws IOException {
    PrintWriter err = root.err();
    String name =
        "arn:aws:eks:" + cluster.region() + ":" + cluster.owner() + ":cluster/" + cluster.name();
    String content;
    try (EksKubeAccess access =
        new EksKubeAccess(
            running.isPresent()
                ? SandboxFlags.awsConnection(running.get())
                : AwsConnection.real())) {
      Config config = access.config(cluster);
      GkeKubeAccess.Endpoint endpoint =
          new GkeKubeAccess.Endpoint(config.getMasterUrl(), config.getCaCertData());
      content =
          running.isPresent()
              ? withToken(name, endpoint, config.getOauthTokenProvider().getToken())
              : withAwsCli(name, endpoint, cluster);
    } catch (ApplicationFailure e) {
      err.println("refarch: " + e.getOriginalMessage());
      return ExitCodes.RUN_FAILED;
    }
    write(target, content);
    PrintWriter out = root.out();
    out.println("Wrote " + target + " (context " + name + ")");
    out.println(
        running.isPresent()
            ? "  It holds a token signed with the sandbox's keys, valid 15 minutes; run this again"
                + " for a new one."
            : "  kubectl gets a token from your AWS credentials through `aws eks get-token` on each"
                + " use (the AWS CLI must be on PATH).");
    out.println("  KUBECONFIG=" + target + " kubectl get nodes");
    return ExitCodes.OK;
  }

  /**
   * What {@code az aks get-credentials --admin --file} writes: the cluster's admin kubeconfig from
   * {@code listClusterAdminCredential}, with the worker's (here: this machine's) Azure credential.
   */
  private int aks(ClusterRef cluster, Path target, Optional<SandboxEndpoints> running)
      throws IOException {
    String content;
    try {
      AzureConnection connection =
          running.isPresent()
              ? SandboxFlags.azureConnection(running.get(), sandboxStateDir())
              : AzureConnection.real();
      content = new AksKubeAccess(connection).adminKubeconfig(cluster);
    } catch (ApplicationFailure e) {
      root.err().println("refarch: " + e.getOriginalMessage());
      return ExitCodes.RUN_FAILED;
    }
    write(target, content);
    PrintWriter out = root.out();
    out.println(
        "Wrote " + target + " (the admin credential of AKS cluster " + cluster.name() + ")");
    out.println(
        "  It holds the cluster's admin credential: keep the file to yourself (it is 0600), and"
            + " run this again after the cluster's credentials are rotated.");
    out.println("  KUBECONFIG=" + target + " kubectl get nodes");
    return ExitCodes.OK;
  }

  private Path sandboxStateDir() {
    return sandboxState != null
        ? root.resolve(sandboxState)
        : root.workDir().resolve(".refarch").resolve("sandbox");
  }

  /** What {@code aws eks update-kubeconfig} writes (for one cluster). */
  static String withAwsCli(String name, GkeKubeAccess.Endpoint endpoint, ClusterRef cluster) {
    return header(name, endpoint)
        + """
        users:
        - name: %1$s
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: aws
              args:
              - --region
              - %2$s
              - eks
              - get-token
              - --cluster-name
              - %3$s
              - --output
              - json
              interactiveMode: IfAvailable
        """
            .formatted(quote(name), quote(cluster.region()), quote(cluster.name()));
  }

  private static String sandboxToken(GcpConnection connection) {
    try {
      GoogleCredentials credentials = connection.clusterCredentials().get();
      return credentials.refreshAccessToken().getTokenValue();
    } catch (IOException e) {
      throw io.refarch.activities.ConfigurationErrors.tokenRefresh(
          "getting a token from the sandbox", e);
    }
  }

  /** What {@code gcloud container clusters get-credentials} writes (for one cluster). */
  static String withAuthPlugin(String name, GkeKubeAccess.Endpoint endpoint) {
    return header(name, endpoint)
        + """
        users:
        - name: %1$s
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: gke-gcloud-auth-plugin
              installHint: Install gke-gcloud-auth-plugin for use with kubectl by following
                https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin
              provideClusterInfo: true
              interactiveMode: IfAvailable
        """
            .formatted(quote(name));
  }

  static String withToken(String name, GkeKubeAccess.Endpoint endpoint, String token) {
    return header(name, endpoint)
        + """
        users:
        - name: %1$s
          user:
            token: %2$s
        """
            .formatted(quote(name), quote(token));
  }

  private static String header(String name, GkeKubeAccess.Endpoint endpoint) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
            certificate-authority-data: %3$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
        current-context: %1$s
        """
        .formatted(quote(name), quote(endpoint.server()), quote(endpoint.caBase64()));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Whole or not at all, 0600 from the start: the file opens the cluster. */
  private static void write(Path target, String content) throws IOException {
    KubeconfigFiles.writePrivate(target, content);
    // Exactly 0600 whatever the umask left of it (a umask of 0277 would leave 0400).
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
  }
}
