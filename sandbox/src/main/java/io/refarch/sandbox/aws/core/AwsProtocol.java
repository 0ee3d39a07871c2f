package io.refarch.sandbox.aws.core;

import io.refarch.sandbox.core.Json;

/**
 * The wire protocols of the AWS services the sandbox speaks, and how each words an error. What the
 * SDK parses (aws-sdk-java-v2's protocol factories): EC2 reads {@code Response/Errors/Error/Code},
 * the other Query services {@code ErrorResponse/Error/Code}; JSON 1.1 and REST-JSON take the code
 * from the {@code x-amzn-ErrorType} header, else the body's {@code __type} (after any '#'), and the
 * message from the body's {@code message}.
 */
public enum AwsProtocol {
  /** EC2's own Query dialect: form-encoded requests, XML answers without a result wrapper. */
  EC2("text/xml;charset=UTF-8"),
  /**
   * Query: form-encoded requests, {@code <ActionResponse><ActionResult>} answers (IAM, STS, ASG).
   */
  QUERY("text/xml"),
  /** JSON 1.1 with the operation in {@code X-Amz-Target} (SSM). */
  JSON("application/x-amz-json-1.1"),
  /** REST-JSON: operations by method and path (EKS). */
  REST_JSON("application/json");

  private final String contentType;

  AwsProtocol(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /** The error's body in this protocol's envelope. */
  public String errorBody(AwsError error, String requestId) {
    return switch (this) {
      case EC2 ->
          new XmlWriter()
              .declaration()
              .start("Response")
              .start("Errors")
              .start("Error")
              .leaf("Code", error.code())
              .leaf("Message", error.getMessage())
              .end()
              .end()
              .leaf("RequestID", requestId)
              .end()
              .toString();
      case QUERY ->
          new XmlWriter()
              .declaration()
              .start("ErrorResponse")
              .start("Error")
              .leaf("Type", error.sender() ? "Sender" : "Receiver")
              .leaf("Code", error.code())
              .leaf("Message", error.getMessage())
              .end()
              .leaf("RequestId", requestId)
              .end()
              .toString();
      case JSON -> error.body();
      case REST_JSON -> "{\"message\":" + Json.quote(error.getMessage()) + "}";
    };
  }
}
