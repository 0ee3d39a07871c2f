package io.refarch.sandbox.azure.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.core.CloudError;
import io.refarch.sandbox.core.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error as Azure Resource Manager answers it, {@code {"error":{"code","message"}}}, or, for
 * Microsoft Entra's token endpoint, the OAuth error body Entra sends; with the headers that go with
 * it (Retry-After on 429, WWW-Authenticate on 401).
 */
public final class ArmError extends CloudError {

  private final int status;
  private final String code;
  private final ObjectNode body;
  private final Map<String, String> headers = new LinkedHashMap<>();

  private ArmError(int status, String code, String message, ObjectNode body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }

  public ArmError(int status, String code, String message) {
    this(status, code, message, envelope(code, message));
  }

  /** An error whose body is not ARM's envelope (Entra's OAuth errors). */
  public static ArmError raw(int status, String code, ObjectNode body) {
    return new ArmError(status, code, body.path("error_description").asText(code), body);
  }

  public ArmError header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public String code() {
    return code;
  }

  public Map<String, String> headers() {
    return headers;
  }

  @Override
  public int httpStatus() {
    return status;
  }

  @Override
  public String body() {
    return body.toString();
  }

  private static ObjectNode envelope(String code, String message) {
    ObjectNode node = Json.object();
    node.putObject("error").put("code", code).put("message", message);
    return node;
  }

  // ---- ARM's and AKS's common answers, in their words ----

  /**
   * ARM's check of a request's {@code tags} (its own, and an agent pool's {@code properties.tags}):
   * names without {@code < > % & \ ? /}, at most 512 characters, values at most 256, at most 50
   * tags.
   */
  public static void checkTags(com.fasterxml.jackson.databind.JsonNode tags) {
    if (tags == null || !tags.isObject()) {
      return;
    }
    if (tags.size() > 50) {
      throw new ArmError(
          400, "InvalidTags", "The resource has " + tags.size() + " tags; at most 50 are allowed.");
    }
    var names = tags.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (name.isEmpty() || name.length() > 512 || name.matches(".*[<>%&\\\\?/].*")) {
        throw new ArmError(
            400,
            "InvalidTagNameCharacters",
            "The tag names '"
                + name
                + "' have reserved characters '<,>,%,&,\\\\,?,/' or control characters.");
      }
      if (tags.get(name).asText().length() > 256) {
        throw new ArmError(
            400, "InvalidTagValueLength", "The tag value of '" + name + "' is longer than 256.");
      }
    }
  }

  public static ArmError invalidParameter(String message) {
    return new ArmError(400, "InvalidParameter", message);
  }

  /** AKS's words for a bad property value. */
  public static ArmError invalidProperty(String property, String detail) {
    return invalidParameter(
        "The value of parameter "
            + property
            + " is invalid. Error details: "
            + detail
            + ". Please see https://aka.ms/aks-naming-rules for more details.");
  }

  public static ArmError resourceNotFound(String type, String name, String group) {
    return new ArmError(
        404,
        "ResourceNotFound",
        "The Resource '"
            + type
            + "/"
            + name
            + "' under resource group '"
            + group
            + "' was not found. For more details please go to"
            + " https://aka.ms/ARMResourceNotFoundFix");
  }

  public static ArmError resourceGroupNotFound(String group) {
    return new ArmError(
        404, "ResourceGroupNotFound", "Resource group '" + group + "' could not be found.");
  }

  /**
   * AKS refuses a change while another runs on the cluster (cilium/cilium#25944 quotes it for agent
   * pools).
   */
  public static ArmError operationNotAllowed(String running) {
    return new ArmError(
        409,
        "OperationNotAllowed",
        "Operation is not allowed: Another "
            + running
            + " is in progress, please wait for it to finish before starting a new operation. See"
            + " https://aka.ms/aks-pending-operation for more details");
  }
}
