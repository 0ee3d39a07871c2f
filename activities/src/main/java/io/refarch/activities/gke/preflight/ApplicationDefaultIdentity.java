package io.refarch.activities.gke.preflight;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.UrlEncodedContent;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.ServiceAccountSigner;
import com.google.auth.oauth2.GoogleCredentials;
import io.refarch.activities.ConfigurationErrors;
import io.refarch.activities.GoogleCredentialsSource;
import io.refarch.workflow.PreflightReport.Check;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.Map;

/**
 * Real Google: the worker's Application Default Credentials must give an access token. The
 * principal is the account a service account, impersonated or metadata-server credential names; for
 * a user's login Google's tokeninfo endpoint says whose the token is (sent in a POST body, so the
 * token is in no URL or log).
 */
public final class ApplicationDefaultIdentity implements Identity {

  static final String NAME = "Credentials";
  private static final String TOKENINFO = "https://oauth2.googleapis.com/tokeninfo";

  private final GoogleCredentialsSource source;
  private GoogleCredentials credentials;

  public ApplicationDefaultIdentity(GoogleCredentialsSource source) {
    this.source = source;
  }

  /** The credentials that worked, scoped for Google's APIs; null until {@link #check} passed. */
  public GoogleCredentials credentials() {
    return credentials;
  }

  @Override
  public Check check() {
    GoogleCredentials found;
    try {
      found = source.get();
    } catch (IOException e) {
      return new Check(
          NAME,
          false,
          "no usable Application Default Credentials ("
              + ConfigurationErrors.redact(e.getMessage())
              + "). Fix: "
              + ConfigurationErrors.CREDENTIALS_FIX);
    }
    GoogleCredentials scoped =
        found.createScopedRequired()
            ? found.createScoped("https://www.googleapis.com/auth/cloud-platform")
            : found;
    try {
      scoped.refreshIfExpired();
    } catch (IOException e) {
      ApplicationFailure failure = ConfigurationErrors.tokenRefresh("getting an access token", e);
      if (!failure.isNonRetryable()) {
        throw failure;
      }
      return new Check(NAME, false, failure.getOriginalMessage());
    }
    credentials = scoped;
    return new Check(NAME, true, "Application Default Credentials work, as " + principal(scoped));
  }

  private static String principal(GoogleCredentials credentials) {
    if (credentials instanceof ServiceAccountSigner signer) {
      try {
        return signer.getAccount();
      } catch (RuntimeException e) {
        // The metadata server may not say; fall through to tokeninfo.
      }
    }
    try {
      String token = credentials.getAccessToken().getTokenValue();
      String body =
          new NetHttpTransport()
              .createRequestFactory()
              .buildPostRequest(
                  new GenericUrl(TOKENINFO), new UrlEncodedContent(Map.of("access_token", token)))
              .execute()
              .parseAsString();
      String email = new ObjectMapper().readTree(body).path("email").asText("");
      return email.isEmpty() ? "an account whose token carries no email scope" : email;
    } catch (IOException | RuntimeException e) {
      return "an account tokeninfo did not name ("
          + ConfigurationErrors.redact(e.getMessage())
          + ")";
    }
  }
}
