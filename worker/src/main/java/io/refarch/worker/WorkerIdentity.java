package io.refarch.worker;

import io.refarch.spec.Cloud;
import io.refarch.workflow.WorkerCapabilities;
import io.temporal.spring.boot.WorkerOptionsCustomizer;
import io.temporal.spring.boot.autoconfigure.properties.TemporalProperties;
import io.temporal.spring.boot.autoconfigure.properties.WorkerProperties;
import io.temporal.worker.WorkerOptions;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Each worker polls with an identity that names the clouds it can run ({@code 12345@host
 * refarch-worker[gcp]}): Temporal lists the identities of a task queue's pollers, and {@code
 * refarch up --temporal} reads them to refuse a spec no worker can run (see {@link
 * WorkerCapabilities} for why this and not something else). The clouds come from the activity beans
 * the worker's entry in {@code spring.temporal.workers} names, the very ones it registers.
 */
@Configuration
class WorkerIdentity {
  private static final Logger log = LoggerFactory.getLogger(WorkerIdentity.class);

  @Bean
  WorkerOptionsCustomizer cloudsInIdentity(TemporalProperties temporal, BeanFactory beans) {
    return new WorkerOptionsCustomizer() {
      @Override
      public WorkerOptions.Builder customize(
          WorkerOptions.Builder builder, String workerName, String taskQueue) {
        Set<Cloud> clouds = WorkerCapabilities.clouds(activities(temporal, beans, taskQueue));
        // Temporal's own default identity, with the clouds after it.
        String identity =
            WorkerCapabilities.identity(ManagementFactory.getRuntimeMXBean().getName(), clouds);
        log.info(
            "worker for task queue {} can run clouds [{}]; polling as {}",
            taskQueue,
            WorkerCapabilities.ids(clouds),
            identity);
        return builder.setIdentity(identity);
      }
    };
  }

  private static List<Object> activities(
      TemporalProperties temporal, BeanFactory beans, String taskQueue) {
    List<Object> activities = new ArrayList<>();
    if (temporal.getWorkers() == null) {
      return activities;
    }
    for (WorkerProperties worker : temporal.getWorkers()) {
      Collection<String> names = worker.getActivityBeans();
      if (taskQueue.equals(worker.getTaskQueue()) && names != null) {
        names.forEach(name -> activities.add(beans.getBean(name)));
      }
    }
    return activities;
  }
}
