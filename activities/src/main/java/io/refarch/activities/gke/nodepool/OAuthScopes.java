package io.refarch.activities.gke.nodepool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * gcloud's scope aliases (googlecloudsdk/api_lib/compute/constants.py SCOPES), expanded the way
 * {@code gcloud container ... --scopes} does, so a pool gets the same scopes as the seed's command.
 */
public final class OAuthScopes {
  private static final String AUTH = "https://www.googleapis.com/auth/";

  static final List<String> GKE_DEFAULT =
      List.of(
          AUTH + "devstorage.read_only",
          AUTH + "logging.write",
          AUTH + "monitoring",
          AUTH + "servicecontrol",
          AUTH + "service.management.readonly",
          AUTH + "trace.append");

  /** With --service-account, gcloud replaces gke-default by these two. */
  static final List<String> SERVICE_ACCOUNT_DEFAULT =
      List.of(AUTH + "cloud-platform", AUTH + "userinfo.email");

  private static final Map<String, List<String>> ALIASES =
      Map.ofEntries(
          Map.entry("bigquery", List.of(AUTH + "bigquery")),
          Map.entry("cloud-platform", List.of(AUTH + "cloud-platform")),
          Map.entry("cloud-source-repos", List.of(AUTH + "source.full_control")),
          Map.entry("cloud-source-repos-ro", List.of(AUTH + "source.read_only")),
          Map.entry("compute-ro", List.of(AUTH + "compute.readonly")),
          Map.entry("compute-rw", List.of(AUTH + "compute")),
          Map.entry("datastore", List.of(AUTH + "datastore")),
          Map.entry(
              "default",
              List.of(
                  AUTH + "devstorage.read_only",
                  AUTH + "logging.write",
                  AUTH + "monitoring.write",
                  AUTH + "pubsub",
                  AUTH + "service.management.readonly",
                  AUTH + "servicecontrol",
                  AUTH + "trace.append")),
          Map.entry("gke-default", GKE_DEFAULT),
          Map.entry("logging-write", List.of(AUTH + "logging.write")),
          Map.entry("monitoring", List.of(AUTH + "monitoring")),
          Map.entry("monitoring-read", List.of(AUTH + "monitoring.read")),
          Map.entry("monitoring-write", List.of(AUTH + "monitoring.write")),
          Map.entry("pubsub", List.of(AUTH + "pubsub")),
          Map.entry("service-control", List.of(AUTH + "servicecontrol")),
          Map.entry("service-management", List.of(AUTH + "service.management.readonly")),
          Map.entry("sql-admin", List.of(AUTH + "sqlservice.admin")),
          Map.entry("storage-full", List.of(AUTH + "devstorage.full_control")),
          Map.entry("storage-ro", List.of(AUTH + "devstorage.read_only")),
          Map.entry("storage-rw", List.of(AUTH + "devstorage.read_write")),
          Map.entry("taskqueue", List.of(AUTH + "taskqueue")),
          Map.entry("trace", List.of(AUTH + "trace.append")),
          Map.entry("userinfo-email", List.of(AUTH + "userinfo.email")));

  private OAuthScopes() {}

  /**
   * Full scope URLs, sorted and without duplicates, as gcloud sends them.
   *
   * @param withServiceAccount whether the command names a service account, which changes what
   *     gke-default means (gcloud's NodeIdentityOptionsToNodeConfig)
   */
  public static List<String> expand(List<String> scopes, boolean withServiceAccount) {
    List<String> given = scopes == null || scopes.isEmpty() ? List.of("gke-default") : scopes;
    TreeSet<String> out = new TreeSet<>();
    for (String scope : given) {
      if (withServiceAccount && scope.equals("gke-default")) {
        out.addAll(SERVICE_ACCOUNT_DEFAULT);
      } else {
        out.addAll(ALIASES.getOrDefault(scope, List.of(scope)));
      }
    }
    return new ArrayList<>(out);
  }
}
