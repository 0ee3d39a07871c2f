package io.refarch.activities.eks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

class EksTokensTest {
  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    Instant now = Instant.parse("2026-12-01T03:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aTokenIsReusedForFiveMinutesThenSignedAgain() {
    MovingClock clock = new MovingClock();
    EksTokens tokens =
        new EksTokens(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")),
            "eu-west-1",
            "gitpod",
            clock);
    String first = tokens.get();
    clock.now = clock.now.plus(Duration.ofMinutes(4));
    assertThat(tokens.get()).isEqualTo(first);
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    assertThat(tokens.get()).isNotEqualTo(first).startsWith("k8s-aws-v1.");
  }

  @Test
  void credentialsThatDoNotResolveAreTheWorkersSetup() {
    EksTokens tokens =
        new EksTokens(
            () -> {
              throw SdkClientException.create(
                  "Unable to load credentials from any of the providers");
            },
            "eu-west-1",
            "gitpod",
            Clock.systemUTC());
    assertThatThrownBy(tokens::get)
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.CONFIGURATION));
  }
}
