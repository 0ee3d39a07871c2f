package io.refarch.sandbox.gcp.serviceusage;

import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.core.RestServer;
import io.refarch.sandbox.gcp.iam.IamRest;
import java.util.Set;
import java.util.TreeSet;

/**
 * serviceusage.googleapis.com v1: whether an API is enabled in a project. Every API is, except
 * those the sandbox was started with disabled ({@code --sandbox-disable-api}); {@code
 * services.enable} (gcloud services enable) enables one until the sandbox stops.
 */
public final class ServiceUsage {

  private static final String PROJECT = "([a-z][-a-z0-9]*)";
  private static final String SERVICE = "([a-z][-a-z0-9.]*)";

  private final Set<String> disabled;
  private final Faults faults;

  public ServiceUsage(Set<String> disabled, Faults faults) {
    this.disabled = new TreeSet<>(disabled);
    this.faults = faults;
  }

  public synchronized boolean enabled(String service) {
    return !disabled.contains(service);
  }

  private synchronized void enable(String service) {
    disabled.remove(service);
  }

  public void register(RestServer rest) {
    rest.route(
        "GET",
        "/v1/projects/" + PROJECT + "/services/" + SERVICE,
        (m, r) -> {
          faults.check("getService", m.group(2), m.group(1));
          return service(m.group(1), m.group(2));
        });
    rest.route(
        "POST",
        "/v1/projects/" + PROJECT + "/services/" + SERVICE + ":enable",
        (m, r) -> {
          enable(m.group(2));
          return "{\"name\":\"operations/noop.DONE_OPERATION\",\"done\":true,\"response\":{\"@type\":"
              + "\"type.googleapis.com/google.api.serviceusage.v1.EnableServiceResponse\",\"service\":"
              + service(m.group(1), m.group(2))
              + "}}";
        });
    rest.route(
        "GET",
        "/v1/projects/" + PROJECT + "/services:batchGet",
        (m, r) -> {
          StringBuilder sb = new StringBuilder("{\"services\":[");
          String names = r.query().getOrDefault("names", "");
          String sep = "";
          for (String name : names.split(",")) {
            if (!name.isBlank()) {
              sb.append(sep).append(service(m.group(1), name.substring(name.lastIndexOf('/') + 1)));
              sep = ",";
            }
          }
          return sb.append("]}").toString();
        });
  }

  /** A google.api.serviceusage.v1.Service; its name uses the project number, as Google's does. */
  private String service(String project, String service) {
    String parent = "projects/" + IamRest.projectNumber(project);
    return "{\"name\":"
        + Json.quote(parent + "/services/" + service)
        + ",\"config\":{\"name\":"
        + Json.quote(service)
        + "},\"state\":\""
        + (enabled(service) ? "ENABLED" : "DISABLED")
        + "\",\"parent\":"
        + Json.quote(parent)
        + "}";
  }
}
