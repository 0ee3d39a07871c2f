package io.refarch.sandbox.core;

/**
 * One request the sandbox received, for tests that compare what different clients send.
 *
 * @param method HTTP method, or "GRPC" for gRPC calls
 * @param path decoded path (for gRPC: /service/method)
 * @param query raw query string, empty when absent
 * @param body request body as sent (JSON), empty when absent; for gRPC the proto3 JSON of the
 *     request
 */
public record RecordedRequest(String method, String path, String query, String body) {}
