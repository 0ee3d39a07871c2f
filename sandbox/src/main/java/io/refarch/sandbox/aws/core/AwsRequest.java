package io.refarch.sandbox.aws.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.core.Query;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request to the AWS endpoint, routed to {@code service} by its signature's credential scope.
 *
 * @param service the signing name, e.g. ec2, iam, eks
 * @param region the scope's region, e.g. us-east-1
 * @param accessKeyId the caller's access key id, from the same scope
 * @param rawPath the path as sent, still percent-encoded: EKS puts ARNs with slashes in one segment
 * @param headers header names in lower case, first value each
 * @param rawQuery the query string as sent, for parameters given more than once
 */
public record AwsRequest(
    String service,
    String region,
    String accessKeyId,
    String method,
    String rawPath,
    Map<String, String> query,
    Map<String, String> headers,
    String body,
    String rawQuery) {

  /** The Query protocols' parameters: the form-encoded body and the query string together. */
  public FormParams form() {
    Map<String, String> all = new LinkedHashMap<>(query);
    all.putAll(Query.decode(body));
    return new FormParams(all);
  }

  /** The JSON body; an empty object when there is none. */
  public JsonNode json() {
    if (body.isBlank()) {
      return Json.object();
    }
    try {
      return Json.tree(body);
    } catch (RuntimeException e) {
      throw AwsError.client("SerializationException", "The request body is not JSON.");
    }
  }

  /** Every value of a query parameter sent once per list member (REST-JSON lists). */
  public List<String> queryValues(String name) {
    return Query.values(rawQuery, name);
  }

  public String header(String name) {
    return headers.get(name.toLowerCase());
  }
}
