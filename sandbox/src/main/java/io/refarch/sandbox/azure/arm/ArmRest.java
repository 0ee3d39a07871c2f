package io.refarch.sandbox.azure.arm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.azure.Azure;
import io.refarch.sandbox.azure.aks.Aks;
import io.refarch.sandbox.azure.core.ApiVersions;
import io.refarch.sandbox.azure.core.ArmError;
import io.refarch.sandbox.azure.core.ArmServer;
import io.refarch.sandbox.azure.core.ArmServer.Request;
import io.refarch.sandbox.azure.core.ArmServer.Response;
import io.refarch.sandbox.azure.core.AzureRegions;
import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.Json;
import java.util.Map;

/**
 * ARM's own resources (Microsoft.Resources): subscriptions and tenants as a service principal sees
 * them (the sandbox's one subscription is listed, any subscription id is served), resource groups,
 * the async result of a group's delete, and the providers' registration (every provider is
 * registered).
 */
public final class ArmRest {

  private static final String SUB = "/subscriptions/([^/]+)";

  private final ResourceGroups groups;
  private final Aks aks;
  private final Faults faults;

  public ArmRest(ResourceGroups groups, Aks aks, Faults faults) {
    this.groups = groups;
    this.aks = aks;
    this.faults = faults;
  }

  public void routes(ArmServer s) {
    s.route(
        "GET",
        "/subscriptions",
        (m, r) -> {
          ApiVersions.check(r.apiVersion(), ApiVersions.SUBSCRIPTIONS, null);
          ObjectNode node = Json.object();
          node.putArray("value").add(subscription(Azure.SANDBOX_SUBSCRIPTION_ID));
          return Response.ok(node);
        });
    s.route(
        "GET",
        SUB,
        (m, r) -> {
          ApiVersions.check(r.apiVersion(), ApiVersions.SUBSCRIPTIONS, null);
          return Response.ok(subscription(subscriptionId(m.group(1))));
        });
    s.route(
        "GET",
        "/tenants",
        (m, r) -> {
          ApiVersions.check(r.apiVersion(), ApiVersions.SUBSCRIPTIONS, null);
          ObjectNode node = Json.object();
          ObjectNode t = node.putArray("value").addObject();
          t.put("id", "/tenants/" + Azure.SANDBOX_TENANT_ID);
          t.put("tenantId", Azure.SANDBOX_TENANT_ID);
          t.put("tenantCategory", "Home");
          t.put("displayName", "Sandbox");
          t.put("defaultDomain", "sandbox.onmicrosoft.com");
          t.put("tenantType", "AAD");
          t.putArray("domains").add("sandbox.onmicrosoft.com");
          return Response.ok(node);
        });
    s.route(
        "GET",
        SUB + "/locations",
        (m, r) -> {
          ApiVersions.check(r.apiVersion(), ApiVersions.SUBSCRIPTIONS, null);
          ObjectNode node = Json.object();
          ArrayNode value = node.putArray("value");
          for (String l : AzureRegions.ALL) {
            value
                .addObject()
                .put("id", "/subscriptions/" + m.group(1) + "/locations/" + l)
                .put("name", l)
                .put("displayName", l)
                .put("regionalDisplayName", l);
          }
          return Response.ok(node);
        });
    s.route(
        "GET",
        SUB + "/resourcegroups",
        (m, r) -> {
          resources(r);
          ObjectNode node = Json.object();
          ArrayNode value = node.putArray("value");
          groups.list(subscriptionId(m.group(1))).forEach(value::add);
          return Response.ok(node);
        });
    s.route(
        "PUT",
        SUB + "/resourcegroups/([^/]+)",
        (m, r) -> {
          resources(r);
          faults.check("PutResourceGroup", m.group(2));
          Map.Entry<Boolean, ObjectNode> put =
              groups.put(subscriptionId(m.group(1)), m.group(2), r.json());
          return Response.of(put.getKey() ? 201 : 200, put.getValue());
        });
    s.route(
        "PATCH",
        SUB + "/resourcegroups/([^/]+)",
        (m, r) -> {
          resources(r);
          faults.check("PutResourceGroup", m.group(2));
          ObjectNode current = groups.get(subscriptionId(m.group(1)), m.group(2));
          ObjectNode merged = Json.object();
          merged.put("location", current.path("location").asText());
          merged.set("tags", r.json().has("tags") ? r.json().get("tags") : current.path("tags"));
          return Response.ok(groups.put(m.group(1), m.group(2), merged).getValue());
        });
    s.route(
        "GET",
        SUB + "/resourcegroups/([^/]+)",
        (m, r) -> {
          resources(r);
          faults.check("GetResourceGroup", m.group(2));
          return Response.ok(groups.get(subscriptionId(m.group(1)), m.group(2)));
        });
    s.route(
        "HEAD",
        SUB + "/resourcegroups/([^/]+)",
        (m, r) -> {
          resources(r);
          faults.check("GetResourceGroup", m.group(2));
          return Response.of(
              groups.find(subscriptionId(m.group(1)), m.group(2)).isPresent() ? 204 : 404, null);
        });
    s.route(
        "DELETE",
        SUB + "/resourcegroups/([^/]+)",
        (m, r) -> {
          resources(r);
          faults.check("DeleteResourceGroup", m.group(2));
          String sub = subscriptionId(m.group(1));
          groups.group(sub, m.group(2));
          // What is in the group goes first; the group is gone once the last of it is.
          long contentsDue = aks.deleteAllIn(sub, m.group(2));
          String id = groups.delete(sub, m.group(2), contentsDue);
          return Response.of(202, null)
              .header(
                  "Location",
                  r.base()
                      + "/subscriptions/"
                      + sub
                      + "/operationresults/"
                      + id
                      + "?api-version="
                      + r.apiVersion())
              .header("Retry-After", "1");
        });
    s.route(
        "GET",
        SUB + "/operationresults/([^/]+)",
        (m, r) -> {
          resources(r);
          Boolean running =
              groups
                  .deleting(subscriptionId(m.group(1)), m.group(2))
                  .orElseThrow(
                      () ->
                          new ArmError(
                              404, "NotFound", "Operation " + m.group(2) + " was not found."));
          return running
              ? Response.of(202, null)
                  .header("Location", r.base() + r.path() + "?" + r.rawQuery())
                  .header("Retry-After", "1")
              : Response.of(200, null);
        });
    s.route(
        "GET",
        SUB + "/providers/([^/]+)",
        (m, r) -> {
          resources(r);
          return Response.ok(provider(m.group(1), m.group(2)));
        });
    s.route(
        "POST",
        SUB + "/providers/([^/]+)/register",
        (m, r) -> {
          resources(r);
          return Response.ok(provider(m.group(1), m.group(2)));
        });
  }

  private static void resources(Request r) {
    ApiVersions.check(r.apiVersion(), ApiVersions.RESOURCES, null);
  }

  /** ARM serves any well-formed subscription id; others are refused as ARM refuses them. */
  static String subscriptionId(String id) {
    if (!id.matches(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
      throw new ArmError(
          400,
          "InvalidSubscriptionId",
          "The provided subscription identifier '" + id + "' is malformed or invalid.");
    }
    return id;
  }

  private static ObjectNode subscription(String id) {
    ObjectNode s = Json.object();
    s.put("id", "/subscriptions/" + id);
    s.put("authorizationSource", "RoleBased");
    s.putArray("managedByTenants");
    s.put("subscriptionId", id);
    s.put("tenantId", Azure.SANDBOX_TENANT_ID);
    s.put("displayName", "Sandbox");
    s.put("state", "Enabled");
    s.putObject("subscriptionPolicies")
        .put("locationPlacementId", "Public_2014-09-01")
        .put("quotaId", "PayAsYouGo_2014-09-01")
        .put("spendingLimit", "Off");
    return s;
  }

  private static ObjectNode provider(String subscription, String namespace) {
    ObjectNode p = Json.object();
    p.put("id", "/subscriptions/" + subscription + "/providers/" + namespace);
    p.put("namespace", namespace);
    p.put("registrationState", "Registered");
    p.put("registrationPolicy", "RegistrationRequired");
    ArrayNode types = p.putArray("resourceTypes");
    if (namespace.equalsIgnoreCase("Microsoft.ContainerService")) {
      ObjectNode t = types.addObject().put("resourceType", "managedClusters");
      ArrayNode locations = t.putArray("locations");
      AzureRegions.ALL.forEach(locations::add);
      ArrayNode versions = t.putArray("apiVersions");
      ApiVersions.CONTAINER_SERVICE.forEach(versions::add);
    }
    return p;
  }
}
