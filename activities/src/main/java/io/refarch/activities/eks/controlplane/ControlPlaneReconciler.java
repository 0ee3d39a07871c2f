package io.refarch.activities.eks.controlplane;

import io.refarch.activities.Caller;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.activities.eks.AwsErrors;
import io.refarch.activities.eks.Ownership;
import io.refarch.activities.eks.Waiter;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.eks.NetworkRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.ClusterStatus;
import software.amazon.awssdk.services.eks.model.LogSetup;
import software.amazon.awssdk.services.eks.model.LogType;

/**
 * {@code eksctl create cluster --without-nodegroup}'s control plane: described first, created with
 * the spec's version, endpoint access, all control-plane log types and tags, then waited to ACTIVE
 * with heartbeats. A retried attempt finds the cluster its predecessor created and only waits.
 */
public final class ControlPlaneReconciler {
  private final EksClient eks;
  private final Waiter waiter;

  public ControlPlaneReconciler(EksClient eks, Waiter waiter) {
    this.eks = eks;
    this.waiter = waiter;
  }

  /**
   * What the control plane should be.
   *
   * @param logTypes eksctl's enableTypes; {@code *} or {@code all} means every type
   */
  public record ControlPlaneSpec(
      String name,
      String version,
      String roleArn,
      NetworkRef network,
      boolean privateAccess,
      boolean publicAccess,
      List<String> publicAccessCidrs,
      List<String> logTypes,
      Map<String, String> tags) {}

  public Cluster ensure(ControlPlaneSpec wanted, Heartbeat heartbeat) {
    String doing = "creating EKS cluster " + wanted.name();
    try {
      Optional<Cluster> existing = find(wanted.name());
      if (existing.isEmpty()) {
        try {
          eks.createCluster(
              r ->
                  r.name(wanted.name())
                      .version(wanted.version())
                      .roleArn(wanted.roleArn())
                      .resourcesVpcConfig(
                          v ->
                              v.subnetIds(subnets(wanted.network()))
                                  .securityGroupIds(wanted.network().securityGroupId())
                                  .endpointPrivateAccess(wanted.privateAccess())
                                  .endpointPublicAccess(wanted.publicAccess())
                                  .publicAccessCidrs(
                                      wanted.publicAccess() ? wanted.publicAccessCidrs() : null))
                      .logging(l -> l.clusterLogging(logSetup(wanted.logTypes())))
                      // Access entries, and the worker's identity made admin: the in-cluster
                      // steps run as the worker, with its own credentials.
                      .accessConfig(
                          a ->
                              a.authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)
                                  .bootstrapClusterCreatorAdminPermissions(true))
                      .tags(wanted.tags()));
        } catch (SdkException e) {
          // ResourceInUseException: an earlier attempt created it after all.
          if (!AwsErrors.isAlreadyExists(e) || find(wanted.name()).isEmpty()) {
            throw e;
          }
        }
      } else {
        check(existing.get(), wanted);
      }
      return waiter.until(
          heartbeat,
          "eks.CREATE_CLUSTER",
          "waiting for EKS cluster " + wanted.name() + " to be ACTIVE",
          () -> {
            Cluster c =
                find(wanted.name())
                    .orElseThrow(
                        () ->
                            Failures.retryable(
                                Failures.NOT_READY,
                                "EKS cluster " + wanted.name() + " disappeared while creating"));
            return switch (c.status()) {
              case ACTIVE -> Optional.of(c);
              case FAILED ->
                  throw Failures.permanent(
                      FailureTypes.OPERATION_FAILED,
                      "EKS cluster "
                          + wanted.name()
                          + " FAILED"
                          + (c.health() == null ? "" : ": " + c.health().issues()));
              case DELETING ->
                  throw Failures.retryable(
                      Failures.NOT_READY,
                      "EKS cluster " + wanted.name() + " is being deleted; trying again");
              default -> Optional.empty();
            };
          });
    } catch (SdkException e) {
      throw AwsErrors.translate(doing, e);
    }
  }

  public Deletion delete(String name, Caller caller, Heartbeat heartbeat) {
    String doing = "deleting EKS cluster " + name;
    try {
      Optional<Cluster> existing = find(name);
      if (existing.isEmpty()) {
        return Deletion.DELETED;
      }
      Optional<String> keep = Ownership.keepReason(existing.get().tags(), name, caller);
      if (keep.isPresent()) {
        return Deletion.kept("EKS cluster " + name + ": " + keep.get());
      }
      if (existing.get().status() != ClusterStatus.DELETING) {
        try {
          eks.deleteCluster(r -> r.name(name));
        } catch (SdkException e) {
          if (!AwsErrors.isNotFound(e)) {
            throw e;
          }
        }
      }
      waiter.until(
          heartbeat,
          "eks.DELETE_CLUSTER",
          "waiting for EKS cluster " + name + " to be deleted",
          () -> {
            Optional<Cluster> now = find(name);
            if (now.isPresent() && now.get().status() == ClusterStatus.FAILED) {
              throw Failures.permanent(
                  FailureTypes.OPERATION_FAILED,
                  "EKS cluster "
                      + name
                      + " could not be deleted"
                      + (now.get().health() == null ? "" : ": " + now.get().health().issues()));
            }
            return now.isEmpty() ? Optional.of(true) : Optional.empty();
          });
      return Deletion.DELETED;
    } catch (SdkException e) {
      throw AwsErrors.translate(doing, e);
    }
  }

  /** The cluster, which must exist (endpoint, CA, issuer for later steps). */
  public Cluster describe(String name) {
    try {
      return find(name)
          .orElseThrow(
              () ->
                  Failures.permanent(
                      FailureTypes.FAILED_PRECONDITION, "EKS cluster " + name + " does not exist"));
    } catch (SdkException e) {
      throw AwsErrors.translate("reading EKS cluster " + name, e);
    }
  }

  /** eksctl's {@code *} and {@code all} stand for every log type. */
  static List<LogSetup> logSetup(List<String> wanted) {
    List<LogType> types = new ArrayList<>();
    for (String t : wanted) {
      if (t.equals("*") || t.equals("all")) {
        types =
            List.of(
                LogType.API,
                LogType.AUDIT,
                LogType.AUTHENTICATOR,
                LogType.CONTROLLER_MANAGER,
                LogType.SCHEDULER);
        break;
      }
      types.add(LogType.fromValue(t));
    }
    return types.isEmpty()
        ? List.of()
        : List.of(LogSetup.builder().types(types).enabled(true).build());
  }

  private static List<String> subnets(NetworkRef network) {
    List<String> all = new ArrayList<>(network.publicSubnetIds());
    all.addAll(network.privateSubnetIds());
    return all;
  }

  private static void check(Cluster c, ControlPlaneSpec wanted) {
    if (!Ownership.madeFor(c.tags(), wanted.name())) {
      throw Failures.permanent(
          FailureTypes.SPEC_MISMATCH,
          "EKS cluster "
              + wanted.name()
              + " exists but was not made by refarch (no "
              + Ownership.CLUSTER
              + " tag): refarch leaves it alone");
    }
    List<String> differences = new ArrayList<>();
    if (!wanted.version().equals(c.version())) {
      differences.add("version " + c.version() + " (spec: " + wanted.version() + ")");
    }
    if (c.resourcesVpcConfig() != null
        && c.resourcesVpcConfig().vpcId() != null
        && !c.resourcesVpcConfig().vpcId().equals(wanted.network().vpcId())) {
      differences.add(
          "VPC " + c.resourcesVpcConfig().vpcId() + " (spec: " + wanted.network().vpcId() + ")");
    }
    if (!differences.isEmpty()) {
      throw Failures.permanent(
          FailureTypes.SPEC_MISMATCH,
          "EKS cluster " + wanted.name() + " differs from the spec: " + differences);
    }
  }

  private Optional<Cluster> find(String name) {
    try {
      return Optional.of(eks.describeCluster(r -> r.name(name)).cluster());
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
