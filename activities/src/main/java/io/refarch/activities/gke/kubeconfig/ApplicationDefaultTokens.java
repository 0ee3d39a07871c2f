package io.refarch.activities.gke.kubeconfig;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import io.refarch.activities.ConfigurationErrors;
import io.refarch.activities.GoogleCredentialsSource;
import java.io.IOException;
import java.util.List;

/**
 * An OAuth access token of the worker's Application Default Credentials; GKE's API server accepts
 * it for the identity behind the credentials. Google issues it for about an hour.
 */
public final class ApplicationDefaultTokens implements AccessTokens {
  private static final List<String> SCOPES =
      List.of("https://www.googleapis.com/auth/cloud-platform");
  private static final String DOING = "getting an access token for the kubeconfig";

  private final GoogleCredentialsSource credentials;

  public ApplicationDefaultTokens() {
    this(GoogleCredentialsSource.applicationDefault());
  }

  public ApplicationDefaultTokens(GoogleCredentialsSource credentials) {
    this.credentials = credentials;
  }

  @Override
  public String token() {
    GoogleCredentials scoped;
    try {
      scoped = credentials.get().createScoped(SCOPES);
    } catch (IOException e) {
      throw ConfigurationErrors.missingCredentials(DOING, e);
    }
    try {
      scoped.refreshIfExpired();
      AccessToken token = scoped.getAccessToken();
      if (token == null) {
        token = scoped.refreshAccessToken();
      }
      return token.getTokenValue();
    } catch (IOException e) {
      throw ConfigurationErrors.tokenRefresh(DOING, e);
    }
  }
}
