package io.refarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.spec.SpecMutations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * {@code refarch plan -f FILE} on random mutations of the presets and random YAML-ish text: it
 * exits 0 for a valid spec and 2 for a bad one, with the problems on stderr and never a stack
 * trace.
 */
class PlanInputProperties {
  static final AtomicInteger TRIES = new AtomicInteger();
  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("refarch-plan-property");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private final CommandRunner refarch =
      new CommandRunner(
          DIR,
          config -> {
            throw new AssertionError("plan must call no activity");
          });

  @AfterContainer
  static void report() {
    System.out.println("[property inputs] refarch plan -f: " + TRIES.get());
  }

  @Provide
  Arbitrary<String> badInput() {
    return Arbitraries.oneOf(SpecMutations.mutatedPresets(), SpecMutations.yamlishText());
  }

  @Property(tries = 300)
  void exitsZeroOrTwoNamingTheProblemsWithoutAStackTrace(@ForAll("badInput") String yaml)
      throws IOException {
    TRIES.incrementAndGet();
    Files.writeString(DIR.resolve("spec.yaml"), yaml);

    CommandRunner.Result r = refarch.run("plan", "-f", "spec.yaml");

    Statistics.label("exit").collect(r.exitCode());
    assertThat(r.exitCode()).as(r.toString()).isIn(0, 2);
    if (r.exitCode() == 2) {
      assertThat(r.err()).as(r.toString()).isNotBlank();
    }
    assertThat(r.out() + r.err())
        .as(r.toString())
        .doesNotContain("\tat ", "Exception:", "Exception\n");
  }
}
