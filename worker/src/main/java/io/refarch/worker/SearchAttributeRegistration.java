package io.refarch.worker;

import io.refarch.workflow.RunSearchAttributes;
import io.temporal.serviceclient.WorkflowServiceStubs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Registers the search attributes the workflows upsert before the worker takes work. */
@Component
class SearchAttributeRegistration implements ApplicationRunner {
  private static final Logger log = LoggerFactory.getLogger(SearchAttributeRegistration.class);
  private final WorkflowServiceStubs stubs;
  private final String namespace;

  SearchAttributeRegistration(
      WorkflowServiceStubs stubs, @Value("${spring.temporal.namespace:default}") String namespace) {
    this.stubs = stubs;
    this.namespace = namespace;
  }

  @Override
  public void run(ApplicationArguments args) {
    try {
      RunSearchAttributes.register(stubs, namespace);
    } catch (RuntimeException e) {
      // A server that refuses (no operator permission) may have them registered by an admin.
      log.warn(
          "could not register search attributes {}: {}",
          RunSearchAttributes.ALL.stream().map(k -> k.getName()).toList(),
          e.getMessage());
    }
  }
}
