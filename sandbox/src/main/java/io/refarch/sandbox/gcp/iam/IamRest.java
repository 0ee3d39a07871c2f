package io.refarch.sandbox.gcp.iam;

import com.google.iam.admin.v1.CreateServiceAccountRequest;
import com.google.iam.admin.v1.ListServiceAccountsResponse;
import com.google.iam.v1.SetIamPolicyRequest;
import io.refarch.sandbox.core.RestServer;
import io.refarch.sandbox.gcp.ProtoJson;

/**
 * The REST faces of {@link Iam}: iam.googleapis.com v1 service accounts, cloudresourcemanager v1/v3
 * project policies. serviceusage has a package of its own.
 */
public final class IamRest {

  private static final String PROJECT = "([a-z][-a-z0-9]*)";

  private IamRest() {}

  public static void register(RestServer rest, Iam iam) {
    rest.route(
        "POST",
        "/v1/projects/" + PROJECT + "/serviceAccounts",
        (m, r) -> {
          CreateServiceAccountRequest req =
              ProtoJson.parse(r.body(), CreateServiceAccountRequest.newBuilder()).build();
          return ProtoJson.print(
              iam.createServiceAccount(
                  "projects/" + m.group(1), req.getAccountId(), req.getServiceAccount()),
              r);
        });
    rest.route(
        "GET",
        "/v1/projects/" + PROJECT + "/serviceAccounts",
        (m, r) ->
            ProtoJson.print(
                ListServiceAccountsResponse.newBuilder()
                    .addAllAccounts(iam.listServiceAccounts("projects/" + m.group(1)))
                    .build(),
                r));
    rest.route(
        "GET",
        "/v1/projects/([-a-z0-9]+)/serviceAccounts/([^/:]+)",
        (m, r) ->
            ProtoJson.print(
                iam.getServiceAccount("projects/" + m.group(1) + "/serviceAccounts/" + m.group(2)),
                r));
    rest.route(
        "DELETE",
        "/v1/projects/([-a-z0-9]+)/serviceAccounts/([^/:]+)",
        (m, r) -> {
          iam.deleteServiceAccount("projects/" + m.group(1) + "/serviceAccounts/" + m.group(2));
          return "{}";
        });

    // Cloud Resource Manager: gcloud speaks v1, the Java ProjectsClient v3; same policy document.
    rest.route(
        "POST",
        "/v[13]/projects/" + PROJECT + ":getIamPolicy",
        (m, r) -> ProtoJson.print(iam.getIamPolicy("projects/" + m.group(1)), r));
    rest.route(
        "POST",
        "/v[13]/projects/" + PROJECT + ":setIamPolicy",
        (m, r) -> {
          SetIamPolicyRequest req =
              ProtoJson.parse(r.body(), SetIamPolicyRequest.newBuilder()).build();
          return ProtoJson.print(iam.setIamPolicy("projects/" + m.group(1), req.getPolicy()), r);
        });
    rest.route(
        "GET",
        "/v1/projects/" + PROJECT,
        (m, r) ->
            "{\"projectNumber\":\""
                + projectNumber(m.group(1))
                + "\",\"projectId\":\""
                + m.group(1)
                + "\",\"lifecycleState\":\"ACTIVE\",\"name\":\""
                + m.group(1)
                + "\"}");
    rest.route(
        "GET",
        "/v3/projects/" + PROJECT,
        (m, r) ->
            "{\"name\":\"projects/"
                + projectNumber(m.group(1))
                + "\",\"projectId\":\""
                + m.group(1)
                + "\",\"state\":\"ACTIVE\",\"displayName\":\""
                + m.group(1)
                + "\"}");
  }

  /** A stable project number per project id, as GCP has one. */
  public static String projectNumber(String project) {
    return Long.toString(100_000_000_000L + Math.floorMod(project.hashCode(), 899_999_999_999L));
  }
}
