package io.refarch.workflow;

import io.refarch.workflow.PlannedStep.Kind;
import io.refarch.workflow.Progress.Phase;
import io.temporal.failure.TemporalFailure;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The ledger of one run: it executes the steps a procedure declares, keeps each step's progress,
 * and holds the compensations (deletes) of what was created, to run in reverse order.
 *
 * <p>Deterministic: time comes from the workflow clock passed in, and nothing here does I/O.
 */
final class Run implements Steps {

  enum Mode {
    PLAN,
    PROVISION,
    TEARDOWN
  }

  private record Compensation(Entry entry, String resource, Supplier<Deletion> delete) {}

  /** The mutable side of a {@link StepProgress}. */
  private static final class Entry {
    final int number;
    final String title;
    final String resource;
    StepState state = StepState.PENDING;
    int attempt;
    String startedAt;
    String endedAt;
    String lastError;
    long startedAtMillis;

    Entry(int number, String title, String resource) {
      this.number = number;
      this.title = title;
      this.resource = resource;
    }

    StepProgress view() {
      return new StepProgress(
          String.valueOf(number), title, resource, state, attempt, startedAt, endedAt, lastError);
    }
  }

  private final Mode mode;
  private final String cloud;
  private final String cluster;
  private final LongSupplier clock;
  private final Consumer<String> onStepStart;
  private final Versions versions;
  private final List<PlannedStep> plan = new ArrayList<>();
  private final List<Entry> entries = new ArrayList<>();
  private final Deque<Compensation> compensations = new ArrayDeque<>();
  private final List<String> created = new ArrayList<>();
  private final List<String> adopted = new ArrayList<>();
  private final List<String> deleted = new ArrayList<>();
  private final List<ResourceFailure> kept = new ArrayList<>();
  private final List<ResourceFailure> notDeleted = new ArrayList<>();
  private int cursor;
  private Phase phase = Phase.RUNNING;
  private String currentStep;
  private Entry failedEntry;
  private Entry running;
  private String activitySummary;

  private Run(
      Mode mode,
      String cloud,
      String cluster,
      LongSupplier clock,
      Consumer<String> onStepStart,
      Versions versions) {
    this.mode = mode;
    this.versions = versions;
    this.cloud = cloud;
    this.cluster = cluster;
    this.clock = clock;
    this.onStepStart = onStepStart;
  }

  /** Records the steps a procedure declares without running any. */
  static Run planning(Versions versions) {
    return new Run(Mode.PLAN, null, null, () -> 0L, title -> {}, versions);
  }

  /** A provisioning run whose progress lists every step of {@code plan} from the start. */
  static Run provisioning(
      String cloud,
      String cluster,
      List<PlannedStep> plan,
      LongSupplier clock,
      Consumer<String> onStepStart,
      Versions versions) {
    Run run = new Run(Mode.PROVISION, cloud, cluster, clock, onStepStart, versions);
    for (PlannedStep step : plan) {
      run.entries.add(new Entry(step.number(), step.title(), step.resource()));
    }
    return run;
  }

  /** A teardown: one delete per resource of {@code plan}, in reverse order. */
  static Run teardown(
      String cloud,
      String cluster,
      List<PlannedStep> plan,
      LongSupplier clock,
      Consumer<String> onStepStart,
      Versions versions) {
    Run run = new Run(Mode.TEARDOWN, cloud, cluster, clock, onStepStart, versions);
    List<PlannedStep> resources = plan.stream().filter(s -> s.kind() == Kind.CREATE).toList();
    for (int i = resources.size() - 1; i >= 0; i--) {
      run.entries.add(
          new Entry(
              run.entries.size() + 1,
              deleteTitle(resources.get(i).resource()),
              resources.get(i).resource()));
    }
    return run;
  }

  /**
   * How a teardown names the delete of {@code resource}; a compensation's delete is named so too.
   */
  static String deleteTitle(String resource) {
    return "Delete " + resource;
  }

  /**
   * The name of the activity the run is about to schedule, or null between steps: the title of the
   * step, or for a compensation the title its teardown has ({@code Delete node-pool/...}), since
   * what runs then is the delete. Activities carry it as their summary, so the Web UI names them.
   */
  String activitySummary() {
    return activitySummary;
  }

  List<PlannedStep> plan() {
    return List.copyOf(plan);
  }

  @Override
  public <T> T create(Step step, Supplier<T> ensure, Supplier<Deletion> delete) {
    return switch (mode) {
      case PLAN -> record(step, Kind.CREATE);
      case TEARDOWN -> {
        // Compensations pop last-registered first, and teardown entries are listed in that order.
        compensations.push(
            new Compensation(
                entries.get(entries.size() - 1 - compensations.size()), step.resource(), delete));
        yield null;
      }
      case PROVISION -> {
        Entry entry = next(step);
        compensations.push(new Compensation(entry, step.resource(), delete));
        yield ensured(entry, step, execute(entry, ensure));
      }
    };
  }

  @Override
  public <T> T createInCluster(Step step, Supplier<T> ensure, Supplier<Deletion> delete) {
    return switch (mode) {
      case PLAN -> record(step, Kind.CREATE_IN_CLUSTER);
      case TEARDOWN -> null;
      case PROVISION -> {
        Entry entry = next(step);
        compensations.push(new Compensation(entry, step.resource(), delete));
        yield ensured(entry, step, execute(entry, ensure));
      }
    };
  }

  @Override
  public int version(String changeId, int newest) {
    return versions.of(changeId, newest);
  }

  @Override
  public <T> T perform(Step step, Supplier<T> action) {
    return switch (mode) {
      case PLAN -> record(step, Kind.PERFORM);
      case TEARDOWN -> null;
      case PROVISION -> execute(next(step), action);
    };
  }

  /**
   * Books what an ensure found: what this run made is its to undo; what it adopted is not, so its
   * delete is dropped (a failed run must not take down a cluster it found healthy).
   */
  private <T> T ensured(Entry entry, Step step, T result) {
    if (result == Ensured.ADOPTED) {
      compensations.removeIf(c -> c.entry() == entry);
      adopted.add(step.resource());
    } else {
      created.add(step.resource());
    }
    return result;
  }

  private <T> T record(Step step, Kind kind) {
    plan.add(new PlannedStep(plan.size() + 1, step.title(), step.resource(), step.request(), kind));
    return null;
  }

  private Entry next(Step step) {
    Entry entry = entries.get(cursor++);
    if (!entry.title.equals(step.title())) {
      // The plan and the run come from the same procedure and spec, so this is a bug, not input.
      throw new IllegalStateException(
          "step "
              + entry.number
              + " planned as '"
              + entry.title
              + "' but ran as '"
              + step.title()
              + "'");
    }
    return entry;
  }

  private <T> T execute(Entry entry, Supplier<T> action) {
    begin(entry, StepState.RUNNING);
    try {
      T result = action.get();
      end(entry, StepState.SUCCEEDED, null);
      return result;
    } catch (TemporalFailure failure) {
      end(entry, StepState.FAILED, Failures.describe(failure));
      failedEntry = entry;
      String type = Failures.type(failure);
      if (FailureTypes.SPEC_MISMATCH.equals(type)
          || FailureTypes.ACTIVITY_NOT_REGISTERED.equals(type)) {
        // The resource existed before this run with another spec: it is not ours to delete. Or no
        // worker could even run the step: it created nothing, and its delete could not run either.
        compensations.removeIf(c -> c.entry() == entry);
      }
      throw failure;
    }
  }

  /**
   * Runs every registered delete, last created first. Each delete has its own retries; one that
   * still fails is recorded with its reason and the rest go on, so one stuck resource does not
   * leave all the others behind.
   */
  void compensate() {
    if (mode == Mode.PROVISION) {
      phase = Phase.COMPENSATING;
      entries.stream()
          .filter(e -> e.state == StepState.PENDING)
          .forEach(e -> e.state = StepState.SKIPPED);
    }
    while (!compensations.isEmpty()) {
      Compensation c = compensations.pop();
      boolean teardown = mode == Mode.TEARDOWN;
      begin(c.entry(), teardown ? StepState.RUNNING : StepState.COMPENSATING);
      try {
        Deletion deletion = c.delete().get();
        if (Deletion.deleted(deletion)) {
          deleted.add(c.resource());
          end(
              c.entry(),
              teardown ? StepState.SUCCEEDED : StepState.COMPENSATED,
              c.entry().lastError);
        } else {
          kept.add(new ResourceFailure(c.resource(), deletion.kept()));
          end(c.entry(), StepState.KEPT, deletion.kept());
        }
      } catch (TemporalFailure failure) {
        String reason = Failures.describe(failure);
        notDeleted.add(new ResourceFailure(c.resource(), reason));
        end(c.entry(), teardown ? StepState.FAILED : StepState.COMPENSATION_FAILED, reason);
      }
    }
    currentStep = null;
  }

  /**
   * Temporal began another attempt of an activity scheduled at {@code scheduledAtMillis}. Steps run
   * one at a time, so it belongs to the running step if it was scheduled after that step began; a
   * late report of an earlier step's activity is ignored.
   */
  void attempt(long scheduledAtMillis, int attempt) {
    if (running != null
        && scheduledAtMillis >= running.startedAtMillis
        && attempt > running.attempt) {
      running.attempt = attempt;
    }
  }

  /** Marks what a kept-on-failure run leaves for inspection. */
  void keep() {
    entries.stream()
        .filter(e -> e.state == StepState.PENDING)
        .forEach(e -> e.state = StepState.SKIPPED);
    compensations.clear();
  }

  void finish(Phase result) {
    phase = result;
    currentStep = null;
  }

  boolean leftSomething() {
    return !notDeleted.isEmpty();
  }

  String failedStep() {
    return failedEntry == null ? null : failedEntry.title;
  }

  Progress progress() {
    return new Progress(
        cloud,
        cluster,
        phase,
        currentStep,
        entries.stream().map(Entry::view).toList(),
        List.copyOf(created),
        List.copyOf(deleted),
        List.copyOf(notDeleted),
        List.copyOf(adopted),
        List.copyOf(kept));
  }

  private void begin(Entry entry, StepState state) {
    if (state == StepState.RUNNING) {
      entry.attempt++;
    }
    entry.state = state;
    entry.startedAtMillis = clock.getAsLong();
    entry.startedAt = Instant.ofEpochMilli(entry.startedAtMillis).toString();
    entry.endedAt = null;
    running = entry;
    activitySummary = state == StepState.COMPENSATING ? deleteTitle(entry.resource) : entry.title;
    currentStep = entry.title;
    onStepStart.accept(entry.title);
  }

  private void end(Entry entry, StepState state, String error) {
    running = null;
    activitySummary = null;
    entry.state = state;
    entry.endedAt = now();
    entry.lastError = error;
  }

  private String now() {
    return Instant.ofEpochMilli(clock.getAsLong()).toString();
  }
}
