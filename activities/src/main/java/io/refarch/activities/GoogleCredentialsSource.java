package io.refarch.activities;

import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;

/**
 * Where the worker's Google credentials come from: Application Default Credentials, or a test's.
 */
@FunctionalInterface
public interface GoogleCredentialsSource {
  GoogleCredentials get() throws IOException;

  /** {@code GOOGLE_APPLICATION_CREDENTIALS}, gcloud's ADC file, or the metadata server. */
  static GoogleCredentialsSource applicationDefault() {
    return GoogleCredentials::getApplicationDefault;
  }
}
