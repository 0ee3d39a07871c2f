package io.refarch.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The three clouds of the reference architecture. */
public enum Cloud {
  GCP,
  AWS,
  AZURE;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Cloud of(String id) {
    for (Cloud c : values()) {
      if (c.id().equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException("must be one of gcp, aws, azure");
  }
}
