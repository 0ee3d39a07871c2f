package io.refarch.activities.gke;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.activities.GcpConnection;
import io.refarch.activities.SeedSpecs;
import io.refarch.workflow.PreflightReport;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One worker's preflights of many runs go on at the same time: a preflight waiting on a slow answer
 * holds no lock the next run's preflight needs. (They once did: at 1,000 concurrent runs almost
 * every activity slot of the worker queued on it, and every other run's reads with them.)
 */
class GkePreflightSideBySideTest {

  @Test
  void aSecondPreflightStartsWhileTheFirstIsStillWaiting() throws Exception {
    CountDownLatch bothAsking = new CountDownLatch(2);
    CountDownLatch answer = new CountDownLatch(1);
    // The credentials lookup is the first thing a check does: each check waits there for the
    // other, then both find no credentials (no network is reached).
    GkePreflight preflight =
        new GkePreflight(
            GcpConnection.real(),
            () -> {
              bothAsking.countDown();
              try {
                answer.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              throw new IOException("no credentials in this test");
            });
    ExecutorService runs = Executors.newFixedThreadPool(2);
    try {
      Future<PreflightReport> first = runs.submit(() -> preflight.check(SeedSpecs.gke("p1")));
      Future<PreflightReport> second = runs.submit(() -> preflight.check(SeedSpecs.gke("p2")));

      assertThat(bothAsking.await(20, TimeUnit.SECONDS))
          .as("both preflights under way at once")
          .isTrue();
      answer.countDown();
      assertThat(first.get(20, TimeUnit.SECONDS).ok()).isFalse();
      assertThat(second.get(20, TimeUnit.SECONDS).summary()).contains("Credentials");
    } finally {
      answer.countDown();
      runs.shutdownNow();
      preflight.close();
    }
  }
}
