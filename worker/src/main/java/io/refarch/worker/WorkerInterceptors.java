package io.refarch.worker;

import io.refarch.workflow.AttemptReporter;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.worker.WorkerFactoryOptions;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lets each run's {@code progress} query show the attempt of its running step and, when required,
 * fails runs whose input arrived unencrypted ({@link EncryptedInputGuard}).
 */
@Configuration
class WorkerInterceptors {

  @Bean
  TemporalOptionsCustomizer<WorkerFactoryOptions.Builder> attemptReportingAndInputGuard(
      PayloadCodecBeans.CodecKeys keys) {
    List<WorkerInterceptor> interceptors = new ArrayList<>(List.of(new AttemptReporter()));
    if (keys.requireEncryptedInput()) {
      interceptors.add(EncryptedInputGuard.interceptor());
    }
    return builder -> builder.setWorkerInterceptors(interceptors.toArray(WorkerInterceptor[]::new));
  }
}
