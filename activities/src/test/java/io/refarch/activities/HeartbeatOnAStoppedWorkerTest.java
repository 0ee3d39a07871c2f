package io.refarch.activities;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.workflow.FailureTypes;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An attempt on a worker that has begun to shut down (the SDK's own shutdown, which refuses
 * heartbeats) ends as a hand-back, like a pause that sees {@link WorkerStopping}: the step's last
 * failure says the worker stopped, and the next attempt comes after 1 s. It happens when a poll the
 * worker still had open receives the next attempt of a step it just handed back.
 */
class HeartbeatOnAStoppedWorkerTest {
  private static final String WORKFLOWS = "workflows";
  private static final String ACTIVITIES = "activities";
  private static final CountDownLatch BEATING = new CountDownLatch(1);

  @ActivityInterface
  public interface Beating {
    void beatUntilStopped();
  }

  @WorkflowInterface
  public interface OneStep {
    /** The failure type and message of the step's only attempt. */
    @WorkflowMethod
    String run();
  }

  public static class BeatingImpl implements Beating {
    @Override
    public void beatUntilStopped() {
      Heartbeat heartbeat = Heartbeat.ofCurrentActivity(new WorkerStopping());
      BEATING.countDown();
      for (int i = 0; i < 300; i++) {
        heartbeat.beat("op-7");
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  public static class OneStepImpl implements OneStep {
    @Override
    public String run() {
      Beating step =
          Workflow.newActivityStub(
              Beating.class,
              ActivityOptions.newBuilder()
                  .setTaskQueue(ACTIVITIES)
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      try {
        step.beatUntilStopped();
        return "completed";
      } catch (ActivityFailure f) {
        ApplicationFailure cause = (ApplicationFailure) f.getCause();
        return cause.getType() + ": " + cause.getOriginalMessage();
      }
    }
  }

  private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void aBeatRefusedBecauseTheWorkerShutsDownHandsTheAttemptBack() throws Exception {
    env.newWorker(WORKFLOWS).registerWorkflowImplementationTypes(OneStepImpl.class);
    // The activities' worker in a factory of its own, so it can stop while the workflow goes on.
    WorkerFactory activities = WorkerFactory.newInstance(env.getWorkflowClient());
    activities.newWorker(ACTIVITIES).registerActivitiesImplementations(new BeatingImpl());
    env.start();
    activities.start();

    OneStep run =
        env.getWorkflowClient()
            .newWorkflowStub(
                OneStep.class, WorkflowOptions.newBuilder().setTaskQueue(WORKFLOWS).build());
    CompletableFuture<String> result = WorkflowClient.execute(run::run);
    assertThat(BEATING.await(30, TimeUnit.SECONDS)).isTrue();
    activities.shutdown();

    assertThat(result.get(60, TimeUnit.SECONDS))
        .startsWith(FailureTypes.WORKER_STOPPING + ": this worker is stopping")
        .contains("op-7");
    activities.awaitTermination(10, TimeUnit.SECONDS);
  }
}
