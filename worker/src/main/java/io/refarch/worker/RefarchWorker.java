package io.refarch.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The process that hosts refarch's workflows and activities: it polls the {@code refarch} task
 * queue of the configured Temporal server and talks to the clouds with the credentials of the
 * machine it runs on.
 */
@SpringBootApplication
@EnableConfigurationProperties(WorkerSettings.class)
public class RefarchWorker {
  public static void main(String[] args) {
    SpringApplication.run(RefarchWorker.class, args);
  }
}
