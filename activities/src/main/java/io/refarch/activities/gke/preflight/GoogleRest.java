package io.refarch.activities.gke.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.Credentials;
import com.google.auth.http.HttpCredentialsAdapter;
import java.io.IOException;

/**
 * Plain REST GETs to Google APIs over the Google HTTP client, with the caller's credentials (none
 * for the sandbox). For serviceusage and Compute Engine: their Java clients
 * (google-cloud-service-usage, google-cloud-compute) do not resolve in this offline build, and
 * preflight needs one read of each.
 */
public final class GoogleRest {

  /** An error answer: HTTP status, google.rpc status name, reason and message. */
  public static final class Error extends IOException {
    final int http;
    final String status;
    final String reason;

    Error(int http, String status, String reason, String message) {
      super(message);
      this.http = http;
      this.status = status;
      this.reason = reason;
    }

    /** 403 for the caller's permissions, not for a disabled API. */
    boolean permissionDenied() {
      return http == 403
          && !"SERVICE_DISABLED".equals(reason)
          && !"accessNotConfigured".equals(reason);
    }

    /** The API itself is not enabled in the project. */
    boolean serviceDisabled() {
      return http == 403
          && ("SERVICE_DISABLED".equals(reason) || "accessNotConfigured".equals(reason));
    }

    boolean notFound() {
      return http == 404;
    }

    /** Worth another attempt: 429, 5xx. */
    boolean transientError() {
      return http == 429 || http >= 500;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpRequestFactory requests;
  private final String base;

  /**
   * @param base e.g. {@code https://compute.googleapis.com} or the sandbox's {@code
   *     http://127.0.0.1:PORT}
   * @param credentials null: none (the sandbox)
   */
  public GoogleRest(String base, Credentials credentials) {
    NetHttpTransport transport = new NetHttpTransport();
    this.requests =
        credentials == null
            ? transport.createRequestFactory()
            : transport.createRequestFactory(new HttpCredentialsAdapter(credentials));
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  public JsonNode get(String path) throws IOException {
    try {
      String body = requests.buildGetRequest(new GenericUrl(base + path)).execute().parseAsString();
      return JSON.readTree(body);
    } catch (HttpResponseException e) {
      throw error(e);
    }
  }

  private static Error error(HttpResponseException e) {
    String status = "";
    String reason = "";
    String message = e.getStatusMessage();
    try {
      JsonNode err = JSON.readTree(e.getContent() == null ? "{}" : e.getContent()).path("error");
      status = err.path("status").asText("");
      message = err.path("message").asText(message);
      for (JsonNode d : err.path("details")) {
        reason = d.path("reason").asText(reason);
      }
      for (JsonNode d : err.path("errors")) {
        reason = reason.isEmpty() ? d.path("reason").asText("") : reason;
      }
    } catch (IOException | RuntimeException ignored) {
      // Not Google's envelope: keep the HTTP status line.
    }
    return new Error(e.getStatusCode(), status, reason, message);
  }
}
