package io.refarch.activities.gke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.api.gax.rpc.ApiException;
import com.google.iam.v1.Policy;
import io.refarch.activities.Failed;
import io.refarch.activities.GcpConnection;
import io.refarch.activities.gke.rolebindings.ProjectPolicies;
import io.refarch.activities.gke.rolebindings.RoleBindingReconciler;
import io.refarch.workflow.FailureTypes;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Temporal does with the classified failures under refarch's retry policy (the one in
 * ActivityStubs: 2 s doubling to 1 min, 30 attempts, the permanent types not retried), on
 * Temporal's test server with its clock skipping ahead: a rate limit waits 60 s, a new service
 * account is waited for up to 3 minutes and no longer, a precondition that is not a busy cluster
 * and a worker without credentials fail on the first attempt.
 */
class CloudErrorsRetriesTest {
  private static final String QUEUE = "cloud-errors-retries";

  /**
   * One attempt as the activity saw it: its number and the server's time from the first attempt's
   * schedule to this attempt's start.
   */
  record Attempt(int number, Duration sinceFirst) {}

  @ActivityInterface
  public interface Step {
    @ActivityMethod
    String run(String scenario);
  }

  @WorkflowInterface
  public interface OneStep {
    @WorkflowMethod
    String run(String scenario);
  }

  public static class OneStepImpl implements OneStep {
    private final Step step =
        Workflow.newActivityStub(
            Step.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(2))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofMinutes(1))
                        .setMaximumAttempts(30)
                        .setDoNotRetry(FailureTypes.PERMANENT.toArray(String[]::new))
                        .build())
                .build());

    @Override
    public String run(String scenario) {
      return step.run(scenario);
    }
  }

  static final class StepImpl implements Step {
    final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final AtomicInteger policyWrites = new AtomicInteger();

    @Override
    public String run(String scenario) {
      ActivityInfo info = Activity.getExecutionContext().getInfo();
      attempts.add(
          new Attempt(
              info.getAttempt(),
              Duration.ofMillis(info.getStartedTimestamp() - info.getScheduledTimestamp())));
      switch (scenario) {
        case "rate-limited-once" -> {
          if (info.getAttempt() == 1) {
            throw CloudErrors.translate("reading cluster gitpod", rateLimit());
          }
        }
        case "busy-twice" -> {
          if (info.getAttempt() <= 2) {
            throw CloudErrors.translate("creating node pool workload-services", busy());
          }
        }
        case "failed-precondition" ->
            throw CloudErrors.translate("creating cluster gitpod", billingDisabled());
        case "service-account-appears-on-third-write" -> grant(3);
        case "service-account-never-appears" -> grant(Integer.MAX_VALUE);
        case "no-credentials" ->
            GcpClients.connect(
                GcpConnection.real(),
                () -> {
                  throw new IOException(
                      "Your default credentials were not found. To set up Application Default"
                          + " Credentials for your environment, see"
                          + " https://cloud.google.com/docs/authentication/external/set-up-adc.");
                });
        default -> throw new IllegalArgumentException(scenario);
      }
      return "done";
    }

    /** Grants the roles through the real reconciler; Google knows the account from write N. */
    private void grant(int visibleFromWrite) {
      ProjectPolicies policies =
          new ProjectPolicies() {
            @Override
            public Policy get(String project) {
              return Policy.getDefaultInstance();
            }

            @Override
            public Policy set(String project, Policy policy) {
              if (policyWrites.incrementAndGet() < visibleFromWrite) {
                throw serviceAccountMissing();
              }
              return policy;
            }
          };
      new RoleBindingReconciler(policies)
          .ensure(
              "my-project",
              "serviceAccount:gitpod-gke@my-project.iam.gserviceaccount.com",
              List.of("roles/logging.logWriter"));
    }
  }

  private TestWorkflowEnvironment env;
  private StepImpl step;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(OneStepImpl.class);
    step = new StepImpl();
    worker.registerActivitiesImplementations(step);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private String run(String scenario) {
    return env.getWorkflowClient()
        .newWorkflowStub(OneStep.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build())
        .run(scenario);
  }

  private ApplicationFailure failure(String scenario) {
    WorkflowFailedException failed = (WorkflowFailedException) catchThrowable(() -> run(scenario));
    assertThat(failed).as(scenario + " should fail").isNotNull();
    return Failed.failure(failed);
  }

  @Test
  void aRateLimitIsRetriedAfterAMinuteNotTheTwoSecondBackOff() {
    assertThat(run("rate-limited-once")).isEqualTo("done");

    assertThat(step.attempts).hasSize(2);
    assertThat(step.attempts.get(1).sinceFirst()).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aBusyClusterIsStillRetriedWithThePolicysBackOff() {
    assertThat(run("busy-twice")).isEqualTo("done");

    assertThat(step.attempts).hasSize(3);
    assertThat(step.attempts.get(2).sinceFirst()).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void aNewServiceAccountIsWaitedForUntilGoogleKnowsIt() {
    assertThat(run("service-account-appears-on-third-write")).isEqualTo("done");

    assertThat(step.attempts).hasSize(3);
    assertThat(step.attempts.get(1).sinceFirst()).isGreaterThanOrEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void aServiceAccountStillMissingAfterThreeMinutesFailsSayingSo() {
    ApplicationFailure failure = failure("service-account-never-appears");

    assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_ARGUMENT);
    assertThat(failure.getOriginalMessage())
        .contains("does not exist")
        .contains("after the first attempt")
        .contains("check that it exists");
    Attempt last = step.attempts.get(step.attempts.size() - 1);
    assertThat(last.sinceFirst()).isBetween(Duration.ofMinutes(3), Duration.ofMinutes(4));
    // Every 15 s for 3 minutes: a bounded share of the policy's 30 attempts.
    assertThat(step.attempts).hasSizeBetween(10, 15);
  }

  @Test
  void aFailedPreconditionThatIsNotABusyClusterFailsOnTheFirstAttempt() {
    ApplicationFailure failure = failure("failed-precondition");

    assertThat(failure.getType()).isEqualTo(FailureTypes.FAILED_PRECONDITION);
    assertThat(failure.getOriginalMessage()).contains("Billing must be enabled");
    assertThat(step.attempts).hasSize(1);
  }

  @Test
  void aWorkerWithoutCredentialsFailsOnTheFirstAttemptSayingHowToFixIt() {
    ApplicationFailure failure = failure("no-credentials");

    assertThat(failure.getType()).isEqualTo(FailureTypes.CONFIGURATION);
    assertThat(failure.getOriginalMessage())
        .contains("default credentials were not found")
        .contains("gcloud auth application-default login")
        .contains("GOOGLE_APPLICATION_CREDENTIALS");
    assertThat(step.attempts).hasSize(1);
  }

  static ApiException rateLimit() {
    return GoogleErrors.rest(
        429,
        "RESOURCE_EXHAUSTED",
        "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of"
            + " service 'container.googleapis.com' for consumer 'project_number:123456789012'.",
        "RATE_LIMIT_EXCEEDED");
  }

  static ApiException busy() {
    return GoogleErrors.rest(
        400,
        "FAILED_PRECONDITION",
        "Operation operation-1596064640049-1b03e177 is currently upgrading cluster gitpod. Please"
            + " wait and try again once it is done.",
        null);
  }

  static ApiException billingDisabled() {
    return GoogleErrors.rest(
        400,
        "FAILED_PRECONDITION",
        "Billing account for project '123456789012' is not found. Billing must be enabled for"
            + " activation of service(s) 'container.googleapis.com' to proceed.",
        null);
  }

  static ApiException serviceAccountMissing() {
    return GoogleErrors.rest(
        400,
        "INVALID_ARGUMENT",
        "Service account gitpod-gke@my-project.iam.gserviceaccount.com does not exist.",
        null);
  }
}
