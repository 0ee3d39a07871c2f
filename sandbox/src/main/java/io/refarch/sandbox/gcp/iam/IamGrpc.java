package io.refarch.sandbox.gcp.iam;

import com.google.iam.admin.v1.CreateServiceAccountRequest;
import com.google.iam.admin.v1.DeleteServiceAccountRequest;
import com.google.iam.admin.v1.GetServiceAccountRequest;
import com.google.iam.admin.v1.IAMGrpc;
import com.google.iam.admin.v1.ListServiceAccountsRequest;
import com.google.iam.admin.v1.ListServiceAccountsResponse;
import com.google.iam.admin.v1.ServiceAccount;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.grpc.stub.StreamObserver;
import io.refarch.sandbox.core.RecordedRequest;
import io.refarch.sandbox.gcp.GoogleApiError;
import io.refarch.sandbox.gcp.ProtoJson;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** google.iam.admin.v1.IAM over gRPC, for the Java IAMClient, which has no REST transport. */
public final class IamGrpc extends IAMGrpc.IAMImplBase {

  private final Iam iam;
  private final Consumer<RecordedRequest> recorder;
  private final Runnable afterEach;

  public IamGrpc(Iam iam, Consumer<RecordedRequest> recorder, Runnable afterEach) {
    this.iam = iam;
    this.recorder = recorder;
    this.afterEach = afterEach;
  }

  @Override
  public void createServiceAccount(
      CreateServiceAccountRequest request, StreamObserver<ServiceAccount> response) {
    answer(
        "CreateServiceAccount",
        request,
        response,
        () ->
            iam.createServiceAccount(
                request.getName(), request.getAccountId(), request.getServiceAccount()));
  }

  @Override
  public void getServiceAccount(
      GetServiceAccountRequest request, StreamObserver<ServiceAccount> response) {
    answer("GetServiceAccount", request, response, () -> iam.getServiceAccount(request.getName()));
  }

  @Override
  public void deleteServiceAccount(
      DeleteServiceAccountRequest request, StreamObserver<Empty> response) {
    answer(
        "DeleteServiceAccount",
        request,
        response,
        () -> {
          iam.deleteServiceAccount(request.getName());
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void listServiceAccounts(
      ListServiceAccountsRequest request, StreamObserver<ListServiceAccountsResponse> response) {
    answer(
        "ListServiceAccounts",
        request,
        response,
        () ->
            ListServiceAccountsResponse.newBuilder()
                .addAllAccounts(iam.listServiceAccounts(request.getName()))
                .build());
  }

  private <T> void answer(
      String method, Message request, StreamObserver<T> response, Supplier<T> call) {
    recorder.accept(
        new RecordedRequest(
            "GRPC", "/google.iam.admin.v1.IAM/" + method, "", ProtoJson.print(request, false)));
    try {
      T result = call.get();
      response.onNext(result);
      response.onCompleted();
    } catch (GoogleApiError e) {
      response.onError(e.toGrpc());
    } finally {
      afterEach.run();
    }
  }
}
