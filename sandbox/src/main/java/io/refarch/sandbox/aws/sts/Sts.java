package io.refarch.sandbox.aws.sts;

import io.refarch.sandbox.aws.core.AwsError;
import io.refarch.sandbox.aws.core.AwsProtocol;
import io.refarch.sandbox.aws.core.AwsRequest;
import io.refarch.sandbox.aws.core.AwsService;
import io.refarch.sandbox.aws.core.FormParams;
import io.refarch.sandbox.aws.core.QueryAnswer;
import io.refarch.sandbox.core.Faults;
import java.util.Set;

/**
 * STS's GetCallerIdentity: every access key is a user of the sandbox's one account, named after the
 * key, so a caller learns the account id its ARNs are built from. Also answered as a presigned GET
 * (the request an EKS token carries).
 */
public final class Sts implements AwsService {

  private static final String XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

  public static final Set<String> ACTIONS = Set.of("GetCallerIdentity");

  private final String account;
  private final Faults faults;

  public Sts(String account, Faults faults) {
    this.account = account;
    this.faults = faults;
  }

  @Override
  public String signingName() {
    return "sts";
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
          "InvalidAction", "Could not find operation " + action + " for version 2011-06-15");
    }
    String key = request.accessKeyId().isEmpty() ? "sandbox" : request.accessKeyId();
    faults.check(action, key);
    return QueryAnswer.of(
        action,
        XMLNS,
        x ->
            x.leaf("UserId", key)
                .leaf("Account", account)
                .leaf("Arn", "arn:aws:iam::" + account + ":user/" + key));
  }
}
