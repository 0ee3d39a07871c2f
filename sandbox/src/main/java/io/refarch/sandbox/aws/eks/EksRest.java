package io.refarch.sandbox.aws.eks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.aws.core.AwsError;
import io.refarch.sandbox.aws.core.AwsProtocol;
import io.refarch.sandbox.aws.core.AwsRequest;
import io.refarch.sandbox.aws.core.AwsService;
import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * EKS's REST-JSON protocol for {@link Eks}: operations by method and path ({@code POST /clusters},
 * {@code GET /clusters/NAME/node-groups/NG}, ...), JSON bodies, errors with the code in the {@code
 * x-amzn-ErrorType} header and {@code {"message": ...}} in the body.
 */
public final class EksRest implements AwsService {

  public static final Set<String> ACTIONS =
      Set.of(
          "CreateCluster",
          "DescribeCluster",
          "ListClusters",
          "DeleteCluster",
          "CreateNodegroup",
          "DescribeNodegroup",
          "ListNodegroups",
          "DeleteNodegroup",
          "CreateAccessEntry",
          "DescribeAccessEntry",
          "ListAccessEntries",
          "DeleteAccessEntry",
          "AssociateAccessPolicy",
          "ListAssociatedAccessPolicies",
          "DescribeClusterVersions");

  private final Eks eks;
  private final Faults faults;
  private final String account;

  public EksRest(Eks eks, Faults faults, String account) {
    this.eks = eks;
    this.faults = faults;
    this.account = account;
  }

  @Override
  public String signingName() {
    return "eks";
  }

  @Override
  public AwsProtocol protocol() {
    return AwsProtocol.REST_JSON;
  }

  @Override
  public String handle(AwsRequest request) {
    // Segments are decoded one by one: a principal ARN is one segment with its slashes encoded.
    List<String> path =
        Arrays.stream(request.rawPath().split("/"))
            .filter(s -> !s.isEmpty())
            .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
            .toList();
    String method = request.method();
    String region = request.region();
    if (path.size() == 1 && path.get(0).equals("cluster-versions") && method.equals("GET")) {
      return clusterVersions(request);
    }
    if (path.isEmpty() || !path.get(0).equals("clusters")) {
      throw unknown(request);
    }
    if (path.size() == 1) {
      if (method.equals("POST")) {
        JsonNode body = request.json();
        faults.check("CreateCluster", body.path("name").asText());
        String creator = "arn:aws:iam::" + account + ":user/" + request.accessKeyId();
        return wrap("cluster", eks.createCluster(region, body, creator));
      }
      if (method.equals("GET")) {
        faults.check("ListClusters", region);
        return array("clusters", eks.listClusters(region));
      }
      throw unknown(request);
    }
    String cluster = path.get(1);
    if (path.size() == 2) {
      return switch (method) {
        case "GET" -> {
          faults.check("DescribeCluster", cluster);
          yield wrap("cluster", eks.describeCluster(region, cluster));
        }
        case "DELETE" -> {
          faults.check("DeleteCluster", cluster);
          yield wrap("cluster", eks.deleteCluster(region, cluster));
        }
        default -> throw unknown(request);
      };
    }
    String collection = path.get(2);
    if (collection.equals("node-groups")) {
      if (path.size() == 3) {
        return switch (method) {
          case "POST" -> {
            JsonNode body = request.json();
            faults.check("CreateNodegroup", body.path("nodegroupName").asText(), cluster);
            yield wrap("nodegroup", eks.createNodegroup(region, cluster, body));
          }
          case "GET" -> {
            faults.check("ListNodegroups", cluster);
            yield array("nodegroups", eks.listNodegroups(region, cluster));
          }
          default -> throw unknown(request);
        };
      }
      String group = path.get(3);
      return switch (method) {
        case "GET" -> {
          faults.check("DescribeNodegroup", group, cluster);
          yield wrap("nodegroup", eks.describeNodegroup(region, cluster, group));
        }
        case "DELETE" -> {
          faults.check("DeleteNodegroup", group, cluster);
          yield wrap("nodegroup", eks.deleteNodegroup(region, cluster, group));
        }
        default -> throw unknown(request);
      };
    }
    if (collection.equals("access-entries")) {
      if (path.size() == 3) {
        return switch (method) {
          case "POST" -> {
            JsonNode body = request.json();
            faults.check("CreateAccessEntry", body.path("principalArn").asText(), cluster);
            yield wrap("accessEntry", eks.createAccessEntry(region, cluster, body));
          }
          case "GET" -> {
            faults.check("ListAccessEntries", cluster);
            yield array("accessEntries", eks.listAccessEntries(region, cluster));
          }
          default -> throw unknown(request);
        };
      }
      String principal = path.get(3);
      if (path.size() == 4) {
        return switch (method) {
          case "GET" -> {
            faults.check("DescribeAccessEntry", principal, cluster);
            yield wrap("accessEntry", eks.describeAccessEntry(region, cluster, principal));
          }
          case "DELETE" -> {
            faults.check("DeleteAccessEntry", principal, cluster);
            eks.deleteAccessEntry(region, cluster, principal);
            yield "{}";
          }
          default -> throw unknown(request);
        };
      }
      if (path.size() == 5 && path.get(4).equals("access-policies")) {
        ObjectNode answer =
            Json.object().put("clusterName", cluster).put("principalArn", principal);
        return switch (method) {
          case "POST" -> {
            faults.check("AssociateAccessPolicy", principal, cluster);
            answer.set(
                "associatedAccessPolicy",
                eks.associateAccessPolicy(region, cluster, principal, request.json()));
            yield answer.toString();
          }
          case "GET" -> {
            faults.check("ListAssociatedAccessPolicies", principal, cluster);
            ArrayNode list = answer.putArray("associatedAccessPolicies");
            eks.listAssociatedAccessPolicies(region, cluster, principal).forEach(list::add);
            yield answer.toString();
          }
          default -> throw unknown(request);
        };
      }
    }
    throw unknown(request);
  }

  /**
   * DescribeClusterVersions: every offered version, or those of the {@code clusterVersions} filter
   * (a version not offered is left out, as AWS does); {@code defaultOnly} gives the default alone.
   * One page.
   */
  private String clusterVersions(AwsRequest request) {
    faults.check("DescribeClusterVersions", request.region());
    List<String> wanted = request.queryValues("clusterVersions");
    boolean defaultOnly = "true".equals(request.query().get("defaultOnly"));
    ObjectNode answer = Json.object();
    ArrayNode list = answer.putArray("clusterVersions");
    for (String version : EksVersions.OFFERED) {
      if ((wanted.isEmpty() || wanted.contains(version))
          && (!defaultOnly || version.equals(Eks.DEFAULT_VERSION))) {
        list.add(EksVersions.information(version));
      }
    }
    return answer.toString();
  }

  private static String wrap(String member, JsonNode value) {
    ObjectNode answer = Json.object();
    answer.set(member, value);
    return answer.toString();
  }

  private static String array(String member, List<String> values) {
    ObjectNode answer = Json.object();
    ArrayNode list = answer.putArray(member);
    values.forEach(list::add);
    return answer.toString();
  }

  private static AwsError unknown(AwsRequest request) {
    return new AwsError(
        404,
        "UnknownOperationException",
        "The sandbox does not emulate EKS " + request.method() + " " + request.rawPath() + ".");
  }
}
