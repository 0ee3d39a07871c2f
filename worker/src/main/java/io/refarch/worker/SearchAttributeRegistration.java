package io.refarch.worker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.refarch.workflow.RunSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Registers the search attributes the workflows upsert. A workflow that upserts an attribute the
 * server does not know fails its workflow tasks and is stuck until it is registered, so the
 * worker makes sure before it takes work. Each is added on its own: "already exists" is fine.
 */
@Component
class SearchAttributeRegistration implements ApplicationRunner {
  private static final Logger log = LoggerFactory.getLogger(SearchAttributeRegistration.class);
  private final WorkflowServiceStubs stubs;
  private final String namespace;

  SearchAttributeRegistration(WorkflowServiceStubs stubs, @Value("${spring.temporal.namespace:default}") String namespace) {
    this.stubs = stubs;
    this.namespace = namespace;
  }

  @Override
  public void run(ApplicationArguments args) {
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder().setChannel(stubs.getRawChannel()).validateAndBuildWithDefaults());
    try {
      for (var key : RunSearchAttributes.ALL) {
        try {
          operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder()
              .setNamespace(namespace)
              .putSearchAttributes(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
              .build());
          log.info("registered search attribute {}", key.getName());
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
            // A server that refuses (no operator permission) may have them registered by an admin.
            log.warn("could not register search attribute {}: {}", key.getName(), e.getStatus());
          }
        }
      }
    } finally {
      operator.shutdown();
    }
  }
}
