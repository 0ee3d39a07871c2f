package io.refarch.sandbox.gcp.auth;

import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.core.RestServer;
import io.refarch.sandbox.kube.KubeTokens;

/**
 * Google's OAuth 2.0 token endpoint ({@code POST https://oauth2.googleapis.com/token}), as
 * google-auth-library's credentials call it to refresh: here at {@code /token}. The sandbox has no
 * users to check, so any client and grant get an access token; what the token is good for is
 * checked where it is used: the clusters' APIs accept only tokens issued here, until they expire.
 */
public final class OAuthRest {
  public static final String PATH = "/token";

  private OAuthRest() {}

  public static void register(RestServer rest, KubeTokens tokens) {
    rest.route(
        "POST",
        PATH,
        (m, r) -> {
          KubeTokens.Token token = tokens.issue();
          long seconds = Math.max(1, tokens.lifetime().toSeconds());
          return Json.object()
              .put("access_token", token.value())
              .put("expires_in", seconds)
              .put("token_type", "Bearer")
              .toString();
        });
  }
}
