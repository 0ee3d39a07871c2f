package io.refarch.activities.eks.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IAM policy documents as data: a statement is effect, actions, resources and conditions; a
 * document is a version and statements. Written as JSON with keys in a fixed order, so the same
 * policy always gives the same text.
 */
public final class PolicyDocuments {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, false);

  private PolicyDocuments() {}

  /** One Allow statement. {@code condition} maps an operator to its key/value pairs. */
  public record Statement(
      List<String> actions, List<String> resources, Map<String, Map<String, String>> condition) {

    public static Statement allow(List<String> actions, String... resources) {
      return new Statement(actions, List.of(resources), Map.of());
    }

    public Statement when(String operator, Map<String, String> values) {
      Map<String, Map<String, String>> c = new LinkedHashMap<>(condition);
      c.put(operator, values);
      return new Statement(actions, resources, c);
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Effect", "Allow");
      m.put("Action", actions.size() == 1 ? actions.get(0) : actions);
      m.put("Resource", resources.size() == 1 ? resources.get(0) : resources);
      if (!condition.isEmpty()) {
        m.put("Condition", condition);
      }
      return m;
    }
  }

  /** A policy document (version 2012-10-17) of {@code statements}, as JSON. */
  public static String document(List<Statement> statements) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("Version", "2012-10-17");
    doc.put("Statement", statements.stream().map(Statement::toMap).toList());
    return write(doc);
  }

  /** A trust policy letting {@code service} (e.g. eks.amazonaws.com) assume the role. */
  public static String trustService(String service) {
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Effect", "Allow");
    statement.put("Principal", Map.of("Service", service));
    statement.put("Action", "sts:AssumeRole");
    return write(Map.of("Version", "2012-10-17", "Statement", List.of(statement)));
  }

  /**
   * IRSA: a trust policy letting exactly {@code system:serviceaccount:NS:NAME} assume the role with
   * a web identity token issued by the cluster's OIDC provider, for the audience sts.amazonaws.com.
   *
   * @param providerArn the cluster's IAM OIDC provider
   * @param issuerHostPath the issuer URL without {@code https://}
   */
  public static String trustServiceAccount(
      String providerArn, String issuerHostPath, String namespace, String name) {
    Map<String, String> equals = new LinkedHashMap<>();
    equals.put(issuerHostPath + ":sub", "system:serviceaccount:" + namespace + ":" + name);
    equals.put(issuerHostPath + ":aud", "sts.amazonaws.com");
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Effect", "Allow");
    statement.put("Principal", Map.of("Federated", providerArn));
    statement.put("Action", "sts:AssumeRoleWithWebIdentity");
    statement.put("Condition", Map.of("StringEquals", equals));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("Version", "2012-10-17");
    doc.put("Statement", List.of(statement));
    return write(doc);
  }

  /** Whether two policy documents say the same (IAM returns them URL-encoded, reformatted). */
  public static boolean same(String a, String b) {
    try {
      return JSON.readTree(decode(a)).equals(JSON.readTree(decode(b)));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /** IAM's GetRole and GetRolePolicy return documents URL-encoded (RFC 3986). */
  public static String decode(String document) {
    String trimmed = document.trim();
    return trimmed.startsWith("{") ? trimmed : URLDecoder.decode(trimmed, StandardCharsets.UTF_8);
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
