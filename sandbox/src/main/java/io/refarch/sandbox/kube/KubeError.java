package io.refarch.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.core.CloudError;
import io.refarch.sandbox.core.Json;

/**
 * A Kubernetes API error: the HTTP code and a {@code Status} object with its reason, as
 * kube-apiserver answers.
 */
final class KubeError extends CloudError {

  private final int code;
  private final String reason;

  KubeError(int code, String reason, String message) {
    super(message);
    this.code = code;
    this.reason = reason;
  }

  static KubeError notFound() {
    return new KubeError(404, "NotFound", "the server could not find the requested resource");
  }

  static KubeError notFound(KubeResource r, String name) {
    return new KubeError(404, "NotFound", r.qualifiedName() + " \"" + name + "\" not found");
  }

  static KubeError alreadyExists(KubeResource r, String name) {
    return new KubeError(
        409, "AlreadyExists", r.qualifiedName() + " \"" + name + "\" already exists");
  }

  static KubeError methodNotAllowed() {
    return new KubeError(
        405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  }

  @Override
  public int httpStatus() {
    return code;
  }

  @Override
  public String body() {
    return status().toString();
  }

  @Override
  public String contentType() {
    return "application/json";
  }

  ObjectNode status() {
    ObjectNode s = Json.object().put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure").put("message", getMessage()).put("reason", reason).put("code", code);
    return s;
  }
}
