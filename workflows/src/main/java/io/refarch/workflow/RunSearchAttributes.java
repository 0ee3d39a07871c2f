package io.refarch.workflow;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.List;

/** Search attributes every run carries, so runs can be found by cloud, cluster and current step. */
public final class RunSearchAttributes {
  public static final SearchAttributeKey<String> CLOUD =
      SearchAttributeKey.forKeyword("RefarchCloud");
  public static final SearchAttributeKey<String> CLUSTER =
      SearchAttributeKey.forKeyword("RefarchCluster");
  public static final SearchAttributeKey<String> STEP =
      SearchAttributeKey.forKeyword("RefarchStep");

  public static final List<SearchAttributeKey<String>> ALL = List.of(CLOUD, CLUSTER, STEP);

  private RunSearchAttributes() {}

  /**
   * Registers every attribute in {@code namespace}, keeping those the server already has. A
   * workflow that upserts an attribute the server does not know fails its workflow tasks and is
   * stuck until it is registered, so workers and clients make sure first. Any answer but "already
   * exists" is thrown.
   */
  public static void register(WorkflowServiceStubs stubs, String namespace) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(stubs.getRawChannel())
                .validateAndBuildWithDefaults());
    try {
      for (SearchAttributeKey<String> key : ALL) {
        try {
          operator
              .blockingStub()
              .addSearchAttributes(
                  AddSearchAttributesRequest.newBuilder()
                      .setNamespace(namespace)
                      .putSearchAttributes(
                          key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                      .build());
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
            throw e;
          }
        }
      }
    } finally {
      operator.shutdown();
    }
  }
}
