package io.refarch.sandbox.aws.core;

/** One AWS service on the shared endpoint: its signing name, its protocol and its operations. */
public interface AwsService {

  /** The signing name in the credential scope, e.g. ec2, iam, eks. */
  String signingName();

  AwsProtocol protocol();

  /**
   * Answers one request with the body of a 200; errors are thrown as {@link AwsError}s, which the
   * endpoint words in the protocol's envelope.
   */
  String handle(AwsRequest request);
}
