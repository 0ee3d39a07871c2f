package io.refarch.cli;

import com.google.protobuf.Timestamp;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.stub.ServerCalls;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's in-process test server on a port, with the one call it lacks that {@code refarch up
 * --temporal} makes: DescribeTaskQueue, which it answers with UNIMPLEMENTED. This answers it as a
 * real server does for an activity task queue: the identity and last access time of every worker
 * that polled it in the last 5 minutes (recorded from the workers' own poll requests). Everything
 * else is the test server's.
 */
final class PollerListingServer implements AutoCloseable {
  private static final Duration POLLER_TTL = Duration.ofMinutes(5);

  private final TestServicesStarter services;
  private final Server server;
  private final int port;

  /** task queue -> identity -> last poll */
  private final Map<String, Map<String, Instant>> activityPollers = new ConcurrentHashMap<>();

  PollerListingServer() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // Real time, as the CLI's own in-process server and RemoteRunTest's.
    services = new TestServicesStarter(true, 0);
    ServerBuilder<?> builder =
        Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(
        services.getServices(), builder, List.of(new Pollers()));
    server = builder.build().start();
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  /** Waits until a worker with {@code identity} has polled {@code taskQueue} for activities. */
  void awaitActivityPoller(String taskQueue, String identity) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!activityPollers.getOrDefault(taskQueue, Map.of()).containsKey(identity)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(identity + " did not poll " + taskQueue + " within 30 s");
      }
      Thread.sleep(20);
    }
  }

  private DescribeTaskQueueResponse describe(DescribeTaskQueueRequest request) {
    DescribeTaskQueueResponse.Builder response = DescribeTaskQueueResponse.newBuilder();
    if (request.getTaskQueueType() != TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY) {
      return response.build();
    }
    Instant oldest = Instant.now().minus(POLLER_TTL);
    activityPollers
        .getOrDefault(request.getTaskQueue().getName(), Map.of())
        .forEach(
            (identity, last) -> {
              if (last.isAfter(oldest)) {
                response.addPollers(
                    PollerInfo.newBuilder()
                        .setIdentity(identity)
                        .setLastAccessTime(
                            Timestamp.newBuilder()
                                .setSeconds(last.getEpochSecond())
                                .setNanos(last.getNano())));
              }
            });
    return response.build();
  }

  /** Answers DescribeTaskQueue; notes who polls for activity tasks and passes the poll on. */
  private final class Pollers implements ServerInterceptor {
    @Override
    @SuppressWarnings("unchecked")
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      String method = call.getMethodDescriptor().getFullMethodName();
      if (method.equals(WorkflowServiceGrpc.getDescribeTaskQueueMethod().getFullMethodName())) {
        ServerCallHandler<DescribeTaskQueueRequest, DescribeTaskQueueResponse> handler =
            ServerCalls.asyncUnaryCall(
                (request, observer) -> {
                  observer.onNext(describe(request));
                  observer.onCompleted();
                });
        return ((ServerCallHandler<Q, R>) handler).startCall(call, headers);
      }
      ServerCall.Listener<Q> listener = next.startCall(call, headers);
      if (!method.equals(
          WorkflowServiceGrpc.getPollActivityTaskQueueMethod().getFullMethodName())) {
        return listener;
      }
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
        @Override
        public void onMessage(Q message) {
          PollActivityTaskQueueRequest poll = (PollActivityTaskQueueRequest) message;
          activityPollers
              .computeIfAbsent(poll.getTaskQueue().getName(), q -> new ConcurrentHashMap<>())
              .put(poll.getIdentity(), Instant.now());
          super.onMessage(message);
        }
      };
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
