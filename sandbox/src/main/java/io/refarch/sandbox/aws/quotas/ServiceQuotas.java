package io.refarch.sandbox.aws.quotas;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.aws.core.AwsError;
import io.refarch.sandbox.aws.core.AwsProtocol;
import io.refarch.sandbox.aws.core.AwsRequest;
import io.refarch.sandbox.aws.core.AwsService;
import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.Json;
import java.util.Set;

/**
 * Service Quotas' GetServiceQuota over JSON 1.1 ({@code X-Amz-Target:
 * ServiceQuotasV20190624.GetServiceQuota}) for the EC2 quotas of {@link AwsQuotas#KNOWN}, as the
 * account's applied values.
 */
public final class ServiceQuotas implements AwsService {

  public static final Set<String> ACTIONS = Set.of("GetServiceQuota");

  private final String account;
  private final AwsQuotas quotas;
  private final Faults faults;

  public ServiceQuotas(String account, AwsQuotas quotas, Faults faults) {
    this.account = account;
    this.quotas = quotas;
    this.faults = faults;
  }

  @Override
  public String signingName() {
    return "servicequotas";
  }

  @Override
  public AwsProtocol protocol() {
    return AwsProtocol.JSON;
  }

  @Override
  public String handle(AwsRequest request) {
    String target = request.header("X-Amz-Target");
    String action = target == null ? "" : target.substring(target.indexOf('.') + 1);
    if (!ACTIONS.contains(action)) {
      throw new AwsError(
          400,
          "UnknownOperationException",
          "The sandbox does not emulate Service Quotas operation "
              + (target == null ? "(none)" : target)
              + ".");
    }
    String service = request.json().path("ServiceCode").asText("");
    String code = request.json().path("QuotaCode").asText("");
    faults.check(action, code);
    AwsQuotas.Quota known = AwsQuotas.KNOWN.get(code);
    if (!service.equals("ec2") || known == null) {
      throw new AwsError(
          400,
          "NoSuchResourceException",
          "The request failed because the specified service quota "
              + service
              + "/"
              + code
              + " does not exist.");
    }
    ObjectNode quota = Json.object();
    quota.put("ServiceCode", "ec2");
    quota.put("ServiceName", "Amazon Elastic Compute Cloud (Amazon EC2)");
    quota.put(
        "QuotaArn", "arn:aws:servicequotas:" + request.region() + ":" + account + ":ec2/" + code);
    quota.put("QuotaCode", code);
    quota.put("QuotaName", known.name());
    quota.put("Value", quotas.value(code));
    quota.put("Unit", "None");
    quota.put("Adjustable", true);
    quota.put("GlobalQuota", false);
    ObjectNode answer = Json.object();
    answer.set("Quota", quota);
    return answer.toString();
  }
}
