package io.refarch.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.AbortedException;
import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.UnavailableException;
import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.cloud.resourcemanager.v3.ProjectsClient;
import com.google.iam.admin.v1.CreateServiceAccountRequest;
import com.google.iam.admin.v1.ServiceAccount;
import com.google.iam.v1.Binding;
import com.google.iam.v1.GetIamPolicyRequest;
import com.google.iam.v1.Policy;
import com.google.iam.v1.SetIamPolicyRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service accounts through IAMClient (gRPC) and project policies through ProjectsClient
 * (HTTP/JSON).
 */
class IamAndPolicyTest {

  static final String EMAIL = "gitpod-gke@p1.iam.gserviceaccount.com";

  @TempDir Path state;

  Sandbox sandbox;
  IAMClient iam;
  ProjectsClient projects;

  void start(String... faults) throws Exception {
    sandbox =
        Sandbox.start(
            SandboxOptions.defaults(state)
                .withFaults(List.of(faults).stream().map(Sandbox::parseFault).toList()));
    iam = GcpClients.iam(sandbox);
    projects = GcpClients.projects(sandbox);
  }

  @AfterEach
  void stop() {
    if (iam != null) {
      iam.close();
    }
    if (projects != null) {
      projects.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  ServiceAccount createAccount() {
    return iam.createServiceAccount(
        CreateServiceAccountRequest.newBuilder()
            .setName("projects/p1")
            .setAccountId("gitpod-gke")
            .setServiceAccount(ServiceAccount.newBuilder().setDisplayName("gitpod-gke"))
            .build());
  }

  @Test
  void serviceAccountsLiveOnceAndAreSharedBetweenGrpcAndRest() throws Exception {
    start();

    ServiceAccount created = createAccount();

    assertThat(created.getEmail()).isEqualTo(EMAIL);
    assertThat(created.getName()).isEqualTo("projects/p1/serviceAccounts/" + EMAIL);
    assertThat(iam.getServiceAccount("projects/-/serviceAccounts/" + EMAIL).getDisplayName())
        .isEqualTo("gitpod-gke");
    assertThatThrownBy(this::createAccount)
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining("already exists");
    // gcloud's view: the same account over REST.
    HttpResponse<String> rest =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            sandbox.endpoints().gcpRest()
                                + "/v1/projects/p1/serviceAccounts/"
                                + EMAIL))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(rest.statusCode()).isEqualTo(200);
    assertThat(rest.body()).contains("\"email\":\"" + EMAIL + "\"");
    assertThat(sandbox.inventory()).containsExactly("gcp projects/p1/serviceAccounts/" + EMAIL);

    iam.deleteServiceAccount("projects/p1/serviceAccounts/" + EMAIL);
    assertThatThrownBy(() -> iam.getServiceAccount("projects/p1/serviceAccounts/" + EMAIL))
        .isInstanceOf(NotFoundException.class);
    assertThat(sandbox.inventory()).isEmpty();
  }

  @Test
  void policyWritesWithAStaleEtagAreAbortedAsGcpDoes() throws Exception {
    start();
    createAccount();
    Policy read =
        projects.getIamPolicy(GetIamPolicyRequest.newBuilder().setResource("projects/p1").build());

    Policy written =
        projects.setIamPolicy(
            SetIamPolicyRequest.newBuilder()
                .setResource("projects/p1")
                .setPolicy(
                    read.toBuilder()
                        .addBindings(
                            Binding.newBuilder()
                                .setRole("roles/storage.admin")
                                .addMembers("serviceAccount:" + EMAIL)))
                .build());

    assertThat(written.getEtag()).isNotEqualTo(read.getEtag());
    // A second writer that read before the first wrote loses.
    assertThatThrownBy(
            () ->
                projects.setIamPolicy(
                    SetIamPolicyRequest.newBuilder()
                        .setResource("projects/p1")
                        .setPolicy(
                            read.toBuilder()
                                .addBindings(
                                    Binding.newBuilder()
                                        .setRole("roles/logging.logWriter")
                                        .addMembers("serviceAccount:" + EMAIL)))
                        .build()))
        .isInstanceOf(AbortedException.class)
        .hasStackTraceContaining("\"status\":\"ABORTED\"")
        .hasStackTraceContaining("concurrent policy changes");
    Policy now =
        projects.getIamPolicy(GetIamPolicyRequest.newBuilder().setResource("projects/p1").build());
    assertThat(now.getBindingsList())
        .extracting(Binding::getRole)
        .containsExactly("roles/storage.admin");
    assertThat(sandbox.inventory())
        .contains("gcp projects/p1 iam roles/storage.admin serviceAccount:" + EMAIL);
  }

  @Test
  void faultsReachGrpcWithTheirStatus() throws Exception {
    start("createServiceAccount:gitpod-gke=UNAVAILABLEx1", "getIamPolicy=UNAVAILABLEx1");

    // IAMClient's create is not retried by default, so the fault reaches the caller; the second
    // attempt works.
    assertThatThrownBy(this::createAccount).isInstanceOf(UnavailableException.class);
    assertThat(createAccount().getEmail()).isEqualTo(EMAIL);
    // getIamPolicy is idempotent: ProjectsClient retries UNAVAILABLE by itself.
    assertThat(
            projects
                .getIamPolicy(GetIamPolicyRequest.newBuilder().setResource("projects/p1").build())
                .getBindingsCount())
        .isZero();
    assertThat(sandbox.requests()).filteredOn(r -> r.path().endsWith(":getIamPolicy")).hasSize(2);
  }
}
