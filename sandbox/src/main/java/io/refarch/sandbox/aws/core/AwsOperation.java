package io.refarch.sandbox.aws.core;

import io.refarch.sandbox.core.OperationTiming;
import java.time.Instant;

/**
 * One of AWS's state changes that take time (an EKS cluster's CREATING, a NAT gateway's pending),
 * as benchmarks read it: AWS has no operation objects, so the resource's change is the operation,
 * from the call that started it to when it fell due.
 *
 * @param kind e.g. {@code eks.CREATE_CLUSTER}, {@code ec2.CREATE_NAT_GATEWAY}
 * @param target the resource: cluster, CLUSTER/NODEGROUP or NAT gateway id
 * @param started when the call came, epoch millis
 * @param dueAt when the change ends, epoch millis
 */
public record AwsOperation(String kind, String target, long started, long dueAt) {

  /** The timing as of {@code now}: ended once due. */
  public OperationTiming timing(long now) {
    return new OperationTiming(
        kind + "/" + target + "/" + started,
        kind,
        target,
        Instant.ofEpochMilli(started),
        dueAt <= now ? Instant.ofEpochMilli(dueAt) : null);
  }
}
