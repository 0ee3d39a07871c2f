package io.refarch.sandbox.aws.iam;

import io.refarch.sandbox.aws.core.AwsError;
import io.refarch.sandbox.aws.core.AwsProtocol;
import io.refarch.sandbox.aws.core.AwsRequest;
import io.refarch.sandbox.aws.core.AwsService;
import io.refarch.sandbox.aws.core.FormParams;
import io.refarch.sandbox.aws.core.QueryAnswer;
import io.refarch.sandbox.aws.core.XmlWriter;
import io.refarch.sandbox.core.Faults;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * IAM's Query protocol for {@link Iam}. Policy documents are answered URL-encoded, as IAM does (the
 * SDK hands them over as they come: callers decode them).
 */
public final class IamQuery implements AwsService {

  private static final String XMLNS = "https://iam.amazonaws.com/doc/2010-05-08/";

  public static final Set<String> ACTIONS =
      Set.of(
          "CreateRole",
          "GetRole",
          "DeleteRole",
          "ListRoles",
          "TagRole",
          "ListRoleTags",
          "AttachRolePolicy",
          "DetachRolePolicy",
          "ListAttachedRolePolicies",
          "PutRolePolicy",
          "GetRolePolicy",
          "DeleteRolePolicy",
          "ListRolePolicies",
          "CreateOpenIDConnectProvider",
          "GetOpenIDConnectProvider",
          "DeleteOpenIDConnectProvider",
          "ListOpenIDConnectProviders",
          "ListOpenIDConnectProviderTags");

  private final Iam iam;
  private final Faults faults;

  public IamQuery(Iam iam, Faults faults) {
    this.iam = iam;
    this.faults = faults;
  }

  @Override
  public String signingName() {
    return "iam";
  }

  @Override
  public AwsProtocol protocol() {
    return AwsProtocol.QUERY;
  }

  @Override
  public String handle(AwsRequest request) {
    FormParams p = request.form();
    String action = p.require("Action");
    if (!ACTIONS.contains(action)) {
      throw AwsError.client(
          "InvalidAction", "Could not find operation " + action + " for version 2010-05-08");
    }
    String roleName = p.get("RoleName");
    faults.check(
        action, roleName != null ? roleName : p.get("OpenIDConnectProviderArn", p.get("Url", "")));
    return switch (action) {
      case "CreateRole" -> {
        String duration = p.get("MaxSessionDuration");
        Iam.Role role =
            iam.createRole(
                p.require("RoleName"),
                p.get("Path"),
                p.require("AssumeRolePolicyDocument"),
                p.get("Description"),
                duration == null ? null : Integer.valueOf(duration),
                tags(p));
        yield QueryAnswer.of(action, XMLNS, x -> role(x.start("Role"), role).end());
      }
      case "GetRole" -> {
        Iam.Role role = iam.getRole(p.require("RoleName"));
        yield QueryAnswer.of(action, XMLNS, x -> role(x.start("Role"), role).end());
      }
      case "ListRoles" -> {
        List<Iam.Role> roles = iam.listRoles(p.get("PathPrefix"));
        yield QueryAnswer.of(
            action,
            XMLNS,
            x -> {
              x.start("Roles");
              roles.forEach(r -> role(x.start("member"), r).end());
              x.end().leaf("IsTruncated", "false");
            });
      }
      case "DeleteRole" -> {
        iam.deleteRole(p.require("RoleName"));
        yield QueryAnswer.empty(action, XMLNS);
      }
      case "ListRoleTags" -> {
        Map<String, String> tags = Map.copyOf(iam.getRole(p.require("RoleName")).tags);
        yield QueryAnswer.of(action, XMLNS, x -> listedTags(x, tags).leaf("IsTruncated", "false"));
      }
      case "ListOpenIDConnectProviderTags" -> {
        Map<String, String> tags =
            Map.copyOf(iam.getOpenIdConnectProvider(p.require("OpenIDConnectProviderArn")).tags);
        yield QueryAnswer.of(action, XMLNS, x -> listedTags(x, tags).leaf("IsTruncated", "false"));
      }
      case "TagRole" -> {
        iam.tagRole(p.require("RoleName"), tags(p));
        yield QueryAnswer.empty(action, XMLNS);
      }
      case "AttachRolePolicy" -> {
        iam.attachRolePolicy(p.require("RoleName"), p.require("PolicyArn"));
        yield QueryAnswer.empty(action, XMLNS);
      }
      case "DetachRolePolicy" -> {
        iam.detachRolePolicy(p.require("RoleName"), p.require("PolicyArn"));
        yield QueryAnswer.empty(action, XMLNS);
      }
      case "ListAttachedRolePolicies" -> {
        List<String> arns = iam.getRole(p.require("RoleName")).attachedPolicyArns;
        yield QueryAnswer.of(
            action,
            XMLNS,
            x -> {
              x.start("AttachedPolicies");
              arns.forEach(
                  a ->
                      x.start("member")
                          .leaf("PolicyName", a.substring(a.lastIndexOf('/') + 1))
                          .leaf("PolicyArn", a)
                          .end());
              x.end().leaf("IsTruncated", "false");
            });
      }
      case "PutRolePolicy" -> {
        iam.putRolePolicy(
            p.require("RoleName"), p.require("PolicyName"), p.require("PolicyDocument"));
        yield QueryAnswer.empty(action, XMLNS);
      }
      case "GetRolePolicy" -> {
        String document = iam.getRolePolicy(p.require("RoleName"), p.require("PolicyName"));
        yield QueryAnswer.of(
            action,
            XMLNS,
            x ->
                x.leaf("RoleName", p.get("RoleName"))
                    .leaf("PolicyName", p.get("PolicyName"))
                    .leaf("PolicyDocument", urlEncoded(document)));
      }
      case "DeleteRolePolicy" -> {
        iam.deleteRolePolicy(p.require("RoleName"), p.require("PolicyName"));
        yield QueryAnswer.empty(action, XMLNS);
      }
      case "ListRolePolicies" -> {
        Set<String> names = iam.getRole(p.require("RoleName")).inlinePolicies.keySet();
        yield QueryAnswer.of(
            action,
            XMLNS,
            x -> {
              x.start("PolicyNames");
              names.forEach(n -> x.leaf("member", n));
              x.end().leaf("IsTruncated", "false");
            });
      }
      case "CreateOpenIDConnectProvider" -> {
        Iam.OidcProvider provider =
            iam.createOpenIdConnectProvider(
                p.require("Url"),
                p.list("ClientIDList.member"),
                p.list("ThumbprintList.member"),
                tags(p));
        yield QueryAnswer.of(
            action,
            XMLNS,
            x -> tags(x.leaf("OpenIDConnectProviderArn", provider.arn), provider.tags));
      }
      case "GetOpenIDConnectProvider" -> {
        Iam.OidcProvider provider =
            iam.getOpenIdConnectProvider(p.require("OpenIDConnectProviderArn"));
        yield QueryAnswer.of(
            action,
            XMLNS,
            x -> {
              x.leaf("Url", provider.url).start("ClientIDList");
              provider.clientIds.forEach(c -> x.leaf("member", c));
              x.end().start("ThumbprintList");
              provider.thumbprints.forEach(t -> x.leaf("member", t));
              x.end().leaf("CreateDate", Instant.ofEpochMilli(provider.createDate));
              tags(x, provider.tags);
            });
      }
      case "DeleteOpenIDConnectProvider" -> {
        iam.deleteOpenIdConnectProvider(p.require("OpenIDConnectProviderArn"));
        yield QueryAnswer.empty(action, XMLNS);
      }
      case "ListOpenIDConnectProviders" -> {
        List<Iam.OidcProvider> providers = iam.listOpenIdConnectProviders();
        yield QueryAnswer.of(
            action,
            XMLNS,
            x -> {
              x.start("OpenIDConnectProviderList");
              providers.forEach(o -> x.start("member").leaf("Arn", o.arn).end());
              x.end();
            });
      }
      default -> throw new IllegalStateException("unrouted action " + action);
    };
  }

  /** {@code Tags.member.N.Key} / {@code .Value}. */
  private static Map<String, String> tags(FormParams p) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (FormParams tag : p.structs("Tags.member")) {
      tags.put(tag.require("Key"), tag.get("Value", ""));
    }
    return tags;
  }

  private static XmlWriter tags(XmlWriter x, Map<String, String> tags) {
    if (tags.isEmpty()) {
      return x;
    }
    x.start("Tags");
    tags.forEach((k, v) -> x.start("member").leaf("Key", k).leaf("Value", v).end());
    return x.end();
  }

  /** A List...Tags answer: Tags is always there, empty when there are none. */
  private static XmlWriter listedTags(XmlWriter x, Map<String, String> tags) {
    x.start("Tags");
    new TreeMap<>(tags).forEach((k, v) -> x.start("member").leaf("Key", k).leaf("Value", v).end());
    return x.end();
  }

  private XmlWriter role(XmlWriter x, Iam.Role role) {
    x.leaf("Path", role.path)
        .leaf("RoleName", role.name)
        .leaf("RoleId", role.id)
        .leaf("Arn", role.arn(iam.account()))
        .leaf("CreateDate", Instant.ofEpochMilli(role.createDate))
        .leaf("AssumeRolePolicyDocument", urlEncoded(role.assumeRolePolicyDocument))
        .leaf("Description", role.description)
        .leaf("MaxSessionDuration", role.maxSessionDuration);
    return tags(x, role.tags);
  }

  private static String urlEncoded(String document) {
    return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
