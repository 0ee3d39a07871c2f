package io.refarch.activities.gke.kubeconfig;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import io.refarch.activities.Failures;
import io.refarch.workflow.FailureTypes;
import java.io.IOException;
import java.util.List;

/**
 * An OAuth access token of the worker's Application Default Credentials; GKE's API server accepts
 * it for the identity behind the credentials. Google issues it for about an hour.
 */
public final class ApplicationDefaultTokens implements AccessTokens {
  private static final List<String> SCOPES =
      List.of("https://www.googleapis.com/auth/cloud-platform");

  @Override
  public String token() {
    try {
      GoogleCredentials credentials =
          GoogleCredentials.getApplicationDefault().createScoped(SCOPES);
      credentials.refreshIfExpired();
      AccessToken token = credentials.getAccessToken();
      if (token == null) {
        token = credentials.refreshAccessToken();
      }
      return token.getTokenValue();
    } catch (IOException e) {
      // The exception text names the credential file at most, never a token.
      throw Failures.permanent(
          FailureTypes.PERMISSION_DENIED,
          "no Application Default Credentials for the kubeconfig: " + e.getMessage());
    }
  }
}
