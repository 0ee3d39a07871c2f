package io.refarch.activities.aks;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.rest.Response;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.activities.eks.Waiter;
import io.refarch.activities.gke.operation.PollSchedule;
import io.refarch.workflow.FailureTypes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * ARM's long-running operations: a PUT or DELETE answers at once with the operation's status URL
 * ({@code Azure-AsyncOperation}, else {@code Location}); the operation is read there until it ends.
 * The URL goes into the activity's heartbeat, so an attempt that follows a crash reads the same
 * operation instead of sending a second PUT that would race the first; without one (the crash came
 * before the answer) it reads the resource's {@code provisioningState}, which AKS keeps in {@code
 * Creating} / {@code Deleting} while the operation runs.
 */
final class AsyncOperations {
  /**
   * What AKS usually takes: the figures docs/sandbox.md cites, which the sandbox's realistic
   * profile takes too; reads come every second near them.
   */
  static final Map<String, Duration> AKS_TYPICAL =
      Map.of(
          "aks.CREATE_CLUSTER", Duration.ofMinutes(6),
          "aks.DELETE_CLUSTER", Duration.ofMinutes(5),
          "aks.CREATE_AGENT_POOL", Duration.ofSeconds(210),
          "aks.DELETE_AGENT_POOL", Duration.ofMinutes(5),
          "arm.DELETE_RESOURCE_GROUP", Duration.ofMinutes(1));

  /** The heartbeat's prefix before an operation's URL. */
  private static final String OPERATION = "operation ";

  private static final HttpHeaderName ASYNC_OPERATION =
      HttpHeaderName.fromString("Azure-AsyncOperation");

  private final Waiter waiter;

  AsyncOperations(PollSchedule schedule) {
    this.waiter = new Waiter(schedule.withDefaults(AKS_TYPICAL));
  }

  /** How an operation ended. */
  record Outcome(String status, String code, String message) {
    boolean succeeded() {
      return status.equalsIgnoreCase("Succeeded");
    }
  }

  /**
   * Sends {@code request} (the SDK's PUT or DELETE answer with headers) and waits for the operation
   * it started; the PUT's own answer body is not needed, the caller reads the resource after.
   */
  Outcome start(
      AzureClients clients,
      Heartbeat heartbeat,
      String type,
      String what,
      Supplier<Mono<Response<Flux<ByteBuffer>>>> request,
      Supplier<Optional<String>> provisioningState) {
    Response<Flux<ByteBuffer>> response = request.get().block();
    // Drain the body: the JDK client keeps the connection until it is read.
    response.getValue().then().block();
    Optional<String> url = statusUrl(response.getHeaders());
    if (url.isPresent()) {
      return await(clients, heartbeat, type, what, url.get(), provisioningState);
    }
    // No status URL (a resource group's DELETE names only Location; an unchanged PUT answers 200):
    // the resource's own state says when it is done.
    return resource(heartbeat, type, what, provisioningState);
  }

  /**
   * Waits for an operation already running on the resource: the one the last attempt's heartbeat
   * named, else by the resource's own state.
   */
  Outcome resume(
      AzureClients clients,
      Heartbeat heartbeat,
      String type,
      String what,
      Supplier<Optional<String>> provisioningState) {
    Optional<String> url =
        heartbeat
            .previous()
            .filter(d -> d.startsWith(OPERATION))
            .map(d -> d.substring(OPERATION.length()).split(" ", 2)[0]);
    if (url.isPresent()) {
      return await(clients, heartbeat, type, what, url.get(), provisioningState);
    }
    return resource(heartbeat, type, what, provisioningState);
  }

  private Outcome await(
      AzureClients clients,
      Heartbeat heartbeat,
      String type,
      String what,
      String url,
      Supplier<Optional<String>> provisioningState) {
    String details = OPERATION + url + " (" + what + ")";
    return waiter.until(
        heartbeat,
        type,
        details,
        () -> {
          Outcome read;
          try {
            read = readStatus(clients.get(url));
          } catch (RuntimeException e) {
            if (AzureErrors.isNotFound(e)) {
              // ARM forgets finished operations after a while: the resource tells instead.
              return Optional.of(resource(heartbeat, type, what, provisioningState));
            }
            throw AzureErrors.translate("reading the operation of " + what, e);
          }
          return terminal(read.status()) ? Optional.of(read) : Optional.empty();
        });
  }

  /** Waits by the resource's {@code provisioningState}; absent counts as ended (a delete). */
  private Outcome resource(
      Heartbeat heartbeat, String type, String what, Supplier<Optional<String>> provisioningState) {
    return waiter.until(
        heartbeat,
        type,
        what + ": waiting for its provisioningState",
        () -> {
          Optional<String> state = provisioningState.get();
          if (state.isEmpty()) {
            return Optional.of(new Outcome("Succeeded", null, null));
          }
          return terminal(state.get())
              ? Optional.of(
                  new Outcome(
                      state.get(), null, what + " ended with provisioningState " + state.get()))
              : Optional.empty();
        });
  }

  /** Fails the activity for good with the operation's own error, typed as ARM's code says. */
  static RuntimeException failed(String doing, Outcome outcome) {
    if (outcome.code() != null && !outcome.code().isEmpty()) {
      return AzureErrors.translate(
          doing + " (the operation ended " + outcome.status() + ")",
          outcome.code(),
          400,
          String.valueOf(outcome.message()),
          null);
    }
    return Failures.permanent(
        FailureTypes.OPERATION_FAILED,
        doing + " failed: the operation ended " + outcome.status() + ": " + outcome.message());
  }

  static boolean terminal(String state) {
    return state.equalsIgnoreCase("Succeeded")
        || state.equalsIgnoreCase("Failed")
        || state.equalsIgnoreCase("Canceled");
  }

  private static Optional<String> statusUrl(HttpHeaders headers) {
    String async = headers.getValue(ASYNC_OPERATION);
    if (async != null && !async.isBlank()) {
      return Optional.of(async);
    }
    return Optional.empty();
  }

  private static Outcome readStatus(com.fasterxml.jackson.databind.JsonNode body) {
    String status = body.path("status").asText("InProgress");
    com.fasterxml.jackson.databind.JsonNode error = body.path("error");
    return new Outcome(
        status,
        error.isObject() ? error.path("code").asText(null) : null,
        error.isObject() ? error.path("message").asText(null) : null);
  }
}
