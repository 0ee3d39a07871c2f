package io.refarch.worker;

import io.refarch.workflow.AttemptReporter;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.worker.WorkerFactoryOptions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Lets each run's {@code progress} query show the attempt of its running step. */
@Configuration
class WorkerInterceptors {

  @Bean
  TemporalOptionsCustomizer<WorkerFactoryOptions.Builder> attemptReporting() {
    return builder -> builder.setWorkerInterceptors(new AttemptReporter());
  }
}
