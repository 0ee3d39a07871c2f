package io.refarch.activities;

import com.google.auth.Retryable;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Failures only a change to the worker's setup fixes: they fail at once, typed {@link
 * FailureTypes#CONFIGURATION}, and say what to change. Exception texts go through {@link #redact}
 * first, so no token or key reaches a message, the workflow history or a log.
 */
public final class ConfigurationErrors {
  /** How to give the worker Application Default Credentials. */
  public static final String CREDENTIALS_FIX =
      "run `gcloud auth application-default login` as the worker's user, or set"
          + " GOOGLE_APPLICATION_CREDENTIALS on the worker to a service-account key file it can"
          + " read (on GCE/GKE, give the VM or pod a service account); then run again";

  private static final Pattern PEM =
      Pattern.compile("(?s)-----BEGIN [A-Z ]+-----.*?(-----END [A-Z ]+-----|$)");
  private static final Pattern SECRET_FIELD =
      Pattern.compile(
          "(?i)(\"(?:private_key|private_key_id|client_secret|refresh_token|access_token|id_token"
              + "|assertion)\"\\s*:\\s*)\"[^\"]*\"");
  private static final Pattern SECRET_PARAM =
      Pattern.compile(
          "(?i)\\b(private_key|client_secret|refresh_token|access_token|id_token|assertion"
              + "|token)=[^&\\s\"']+");
  private static final Pattern BEARER = Pattern.compile("(?i)\\bBearer\\s+\\S+");
  private static final Pattern ACCESS_TOKEN = Pattern.compile("\\bya29\\.[\\w.\\-]+");
  private static final Pattern REFRESH_TOKEN = Pattern.compile("\\b1//[\\w\\-]+");

  /** Long opaque runs (keys, JWT parts, tokens); paths and names are split by '/' and '.'. */
  private static final Pattern OPAQUE = Pattern.compile("[A-Za-z0-9_+=\\-]{40,}");

  private ConfigurationErrors() {}

  /** The worker has no usable Application Default Credentials. */
  public static ApplicationFailure missingCredentials(String doing, IOException e) {
    return Failures.permanent(
        FailureTypes.CONFIGURATION,
        doing
            + " failed: the worker has no usable Google Application Default Credentials ("
            + redact(e.getMessage())
            + "). Fix: "
            + CREDENTIALS_FIX
            + ".");
  }

  /**
   * Getting an access token failed. Google refusing the credentials (expired or revoked login,
   * deleted key: the token endpoint's 4xx) needs a person; a network error or a 5xx is retried.
   */
  public static ApplicationFailure tokenRefresh(String doing, IOException e) {
    if (e instanceof Retryable retryable && !retryable.isRetryable()) {
      return rejectedCredentials(doing, redact(e.getMessage()));
    }
    return Failures.retryable(
        Failures.TRANSIENT,
        doing + " failed: could not get an access token from Google: " + redact(e.getMessage()));
  }

  /** Google rejected the worker's credentials. */
  public static ApplicationFailure rejectedCredentials(String doing, String detail) {
    return Failures.permanent(
        FailureTypes.CONFIGURATION,
        doing
            + " failed: Google rejected the worker's Application Default Credentials ("
            + redact(detail)
            + "). Fix: "
            + CREDENTIALS_FIX
            + ".");
  }

  /**
   * Text from an exception, fit for a failure message: PEM blocks, OAuth tokens, secret JSON fields
   * and query parameters and any long opaque string are replaced by {@code [redacted]}; at most 300
   * characters on one line.
   */
  public static String redact(String text) {
    if (text == null) {
      return "";
    }
    String s = PEM.matcher(text).replaceAll("[redacted]");
    s = SECRET_FIELD.matcher(s).replaceAll("$1\"[redacted]\"");
    s = SECRET_PARAM.matcher(s).replaceAll("$1=[redacted]");
    s = BEARER.matcher(s).replaceAll("Bearer [redacted]");
    s = ACCESS_TOKEN.matcher(s).replaceAll("[redacted]");
    s = REFRESH_TOKEN.matcher(s).replaceAll("[redacted]");
    s = OPAQUE.matcher(s).replaceAll("[redacted]");
    s = s.replaceAll("\\s+", " ").trim();
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }
}
