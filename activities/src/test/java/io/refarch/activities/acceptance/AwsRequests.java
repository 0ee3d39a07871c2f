package io.refarch.activities.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refarch.sandbox.core.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The sandbox's AWS requests read as AWS names them: the Query APIs' {@code Action} (EC2, IAM, STS,
 * Auto Scaling), SSM's one call, EKS's REST paths as their operation names; and the requests to the
 * clusters' Kubernetes APIs, which have no AWS name.
 */
final class AwsRequests {
  private AwsRequests() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The verbs of AWS calls that change something; every other call reads. */
  private static final Pattern MUTATING =
      Pattern.compile(
          "(Create|Delete|Attach|Detach|Put|Associate|Disassociate|Allocate|Release|Modify"
              + "|Authorize|Revoke|Update|Tag|Untag|Run|Terminate|Replace|Add|Remove|Set)[A-Z].*");

  /**
   * The AWS operation a request is, as the sandbox names it for faults, or null for a request to a
   * cluster's Kubernetes API.
   */
  static String operation(RecordedRequest r) {
    String path = r.path();
    if (path.equals("/") && r.method().equals("POST")) {
      if (r.body().startsWith("{")) {
        // The JSON protocols name the call in a header the record does not keep; SSM and Service
        // Quotas are each asked one thing, told apart by what they are asked about.
        return r.body().contains("\"QuotaCode\"") ? "GetServiceQuota" : "GetParameter";
      }
      String action = form(r).get("Action");
      if (action == null) {
        throw new AssertionError("a Query request without an Action: " + r);
      }
      return action;
    }
    if (path.equals("/cluster-versions")) {
      return "DescribeClusterVersions";
    }
    if (!path.startsWith("/clusters")) {
      return null;
    }
    List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    String method = r.method();
    if (parts.size() == 1) {
      return method.equals("POST") ? "CreateCluster" : "ListClusters";
    }
    if (parts.size() == 2) {
      return method.equals("GET") ? "DescribeCluster" : "DeleteCluster";
    }
    String collection = parts.get(2);
    if (collection.equals("node-groups")) {
      if (parts.size() == 3) {
        return method.equals("POST") ? "CreateNodegroup" : "ListNodegroups";
      }
      return method.equals("GET") ? "DescribeNodegroup" : "DeleteNodegroup";
    }
    if (collection.equals("access-entries")) {
      if (parts.size() == 3) {
        return method.equals("POST") ? "CreateAccessEntry" : "ListAccessEntries";
      }
      if (parts.size() == 4) {
        return method.equals("GET") ? "DescribeAccessEntry" : "DeleteAccessEntry";
      }
      return method.equals("POST") ? "AssociateAccessPolicy" : "ListAssociatedAccessPolicies";
    }
    throw new AssertionError("an EKS request the acceptance tests do not know: " + r);
  }

  /** Whether an AWS operation, by its name, changes something. */
  static boolean mutating(String operation) {
    return MUTATING.matcher(operation).matches();
  }

  /** Whether the request changes something in AWS or in a cluster. */
  static boolean mutates(RecordedRequest r) {
    String operation = operation(r);
    if (operation != null) {
      return MUTATING.matcher(operation).matches();
    }
    return writes(r);
  }

  /** Whether a request to a cluster's Kubernetes API changes something, by its method. */
  static boolean writes(RecordedRequest r) {
    return switch (r.method()) {
      case "POST", "PUT", "PATCH", "DELETE" -> true;
      default -> false;
    };
  }

  /**
   * One line per request: the AWS operation with the name of what it targets where a run makes
   * several of a kind (roles, node groups, tags), or {@code METHOD PATH} in a cluster.
   */
  static String describe(RecordedRequest r) {
    String operation = operation(r);
    if (operation == null) {
      String line = r.method() + " " + r.path();
      // One path creates every object of a kind: the name tells the namespaces apart.
      return r.method().equals("POST")
          ? line + " " + json(r).path("metadata").path("name").asText()
          : line;
    }
    String target =
        switch (operation) {
          case "CreateRole",
              "AttachRolePolicy",
              "PutRolePolicy",
              "DeleteRole",
              "DetachRolePolicy",
              "DeleteRolePolicy",
              "TagRole" ->
              form(r).get("RoleName");
          case "CreateNodegroup" -> json(r).path("nodegroupName").asText();
          case "CreateLaunchTemplate" -> form(r).get("LaunchTemplateName");
          case "CreateOrUpdateTags" -> nodeGroupOf(form(r).get("Tags.member.1.ResourceId"));
          default -> null;
        };
    return target == null ? operation : operation + " " + target;
  }

  /** EKS names a node group's Auto Scaling group {@code eks-NODEGROUP-UUID}. */
  private static final Pattern GROUP_NAME =
      Pattern.compile("eks-(.+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private static String nodeGroupOf(String autoScalingGroup) {
    var m = GROUP_NAME.matcher(autoScalingGroup == null ? "" : autoScalingGroup);
    return m.matches() ? m.group(1) : autoScalingGroup;
  }

  /** A Query request's form parameters, decoded. */
  static Map<String, String> form(RecordedRequest r) {
    Map<String, String> params = new LinkedHashMap<>();
    if (r.body().isEmpty()) {
      return params;
    }
    for (String pair : r.body().split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  /** A JSON request's body. */
  static JsonNode json(RecordedRequest r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + r.body(), e);
    }
  }
}
