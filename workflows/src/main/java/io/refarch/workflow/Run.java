package io.refarch.workflow;

import io.refarch.workflow.PlannedStep.Kind;
import io.refarch.workflow.Progress.Phase;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
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

  /**
   * The compensations of one step, or of resources made together ({@link #createTogether}), which
   * are deleted together.
   */
  private static final class Together {
    final List<Compensation> compensations = new ArrayList<>();

    Together(List<Compensation> compensations) {
      this.compensations.addAll(compensations);
    }
  }

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
  private final Deque<Together> compensations = new ArrayDeque<>();
  private final List<String> created = new ArrayList<>();
  private final List<String> adopted = new ArrayList<>();
  private final List<String> deleted = new ArrayList<>();
  private final List<ResourceFailure> kept = new ArrayList<>();
  private final List<ResourceFailure> notDeleted = new ArrayList<>();
  private int cursor;
  private Phase phase = Phase.RUNNING;
  private String currentStep;
  private Entry failedEntry;
  private final List<Entry> running = new ArrayList<>();
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
        compensations.push(new Together(List.of(teardownOf(step, delete, 0))));
        yield null;
      }
      case PROVISION -> {
        Entry entry = next(step);
        compensations.push(new Together(List.of(new Compensation(entry, step.resource(), delete))));
        yield ensured(entry, step, execute(entry, ensure));
      }
    };
  }

  @Override
  public <T> List<T> createTogether(List<Creation<T>> creations) {
    List<T> nothing = Collections.nCopies(creations.size(), null);
    switch (mode) {
      case PLAN -> {
        creations.forEach(c -> record(c.step(), Kind.CREATE));
        return nothing;
      }
      case TEARDOWN -> {
        List<Compensation> together = new ArrayList<>();
        for (int i = 0; i < creations.size(); i++) {
          together.add(teardownOf(creations.get(i).step(), creations.get(i).delete(), i));
        }
        compensations.push(new Together(together));
        return nothing;
      }
      default -> {
        List<Entry> started = new ArrayList<>();
        List<Compensation> together = new ArrayList<>();
        for (Creation<T> c : creations) {
          Entry entry = next(c.step());
          started.add(entry);
          together.add(new Compensation(entry, c.step().resource(), c.delete()));
        }
        compensations.push(new Together(together));
        List<Promise<T>> results = new ArrayList<>();
        for (int i = 0; i < creations.size(); i++) {
          Creation<T> c = creations.get(i);
          Entry entry = started.get(i);
          results.add(Async.function(() -> ensured(entry, c.step(), execute(entry, c.ensure()))));
        }
        return awaitAll(results);
      }
    }
  }

  /**
   * The teardown's delete of {@code step}: teardown entries are listed last-created first, as
   * compensations pop; the {@code i}th resource of a group made together sits {@code i} further up.
   */
  private Compensation teardownOf(Step step, Supplier<Deletion> delete, int i) {
    int registered = compensations.stream().mapToInt(t -> t.compensations.size()).sum();
    return new Compensation(
        entries.get(entries.size() - 1 - registered - i), step.resource(), delete);
  }

  /**
   * Each promise's value, in order, once every one is done; the first failure (in the given order)
   * is thrown after all have ended.
   */
  private static <T> List<T> awaitAll(List<Promise<T>> promises) {
    List<T> values = new ArrayList<>();
    TemporalFailure first = null;
    for (Promise<T> promise : promises) {
      try {
        values.add(promise.get());
      } catch (TemporalFailure failure) {
        first = first == null ? failure : first;
        values.add(null);
      }
    }
    if (first != null) {
      throw first;
    }
    return values;
  }

  @Override
  public <T> T createInCluster(Step step, Supplier<T> ensure, Supplier<Deletion> delete) {
    return switch (mode) {
      case PLAN -> record(step, Kind.CREATE_IN_CLUSTER);
      case TEARDOWN -> null;
      case PROVISION -> {
        Entry entry = next(step);
        compensations.push(new Together(List.of(new Compensation(entry, step.resource(), delete))));
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
      dropCompensation(entry);
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

  /**
   * A run that has been asked to cancel starts no further step. The steps it waits on may still end
   * well (an activity learns of a cancel only with its next heartbeat, and a node group that is
   * done is done); what follows them must not begin, or its delete would be booked, and run, for
   * something never made. Runs recorded before this rule went on to the next step; their histories
   * replay as they were ({@link #NO_STEP_AFTER_CANCEL}, asked only once a cancel is requested).
   */
  static final String NO_STEP_AFTER_CANCEL = "no-step-after-cancel";

  private Entry next(Step step) {
    if (CancellationScope.current().isCancelRequested()
        && versions.of(NO_STEP_AFTER_CANCEL, 1) >= 1) {
      throw new CanceledFailure("cancelled before " + step.title());
    }
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
        dropCompensation(entry);
      }
      throw failure;
    }
  }

  private void dropCompensation(Entry entry) {
    compensations.forEach(t -> t.compensations.removeIf(c -> c.entry() == entry));
    compensations.removeIf(t -> t.compensations.isEmpty());
  }

  /**
   * Runs every registered delete, last created first; resources made together are deleted together.
   * Each delete has its own retries; one that still fails is recorded with its reason and the rest
   * go on, so one stuck resource does not leave all the others behind.
   */
  void compensate() {
    if (mode == Mode.PROVISION) {
      phase = Phase.COMPENSATING;
      entries.stream()
          .filter(e -> e.state == StepState.PENDING)
          .forEach(e -> e.state = StepState.SKIPPED);
    }
    while (!compensations.isEmpty()) {
      List<Compensation> together = compensations.pop().compensations;
      if (together.size() == 1) {
        undo(together.get(0)).run();
      } else {
        List<Promise<Runnable>> done = new ArrayList<>();
        together.forEach(c -> done.add(Async.function(() -> undo(c))));
        awaitAll(done);
        // The outcome lists them newest first, as one after another would, whichever ended first.
        for (int i = done.size() - 1; i >= 0; i--) {
          done.get(i).get().run();
        }
      }
    }
    currentStep = null;
  }

  /**
   * One delete; its failure is recorded, never thrown, so the other deletes go on. Returns how to
   * enter it in the outcome's lists, which the caller does in the order it wants them listed.
   */
  private Runnable undo(Compensation c) {
    boolean teardown = mode == Mode.TEARDOWN;
    begin(c.entry(), teardown ? StepState.RUNNING : StepState.COMPENSATING);
    try {
      Deletion deletion = c.delete().get();
      if (Deletion.deleted(deletion)) {
        end(c.entry(), teardown ? StepState.SUCCEEDED : StepState.COMPENSATED, c.entry().lastError);
        return () -> deleted.add(c.resource());
      }
      end(c.entry(), StepState.KEPT, deletion.kept());
      return () -> kept.add(new ResourceFailure(c.resource(), deletion.kept()));
    } catch (TemporalFailure failure) {
      String reason = Failures.describe(failure);
      end(c.entry(), teardown ? StepState.FAILED : StepState.COMPENSATION_FAILED, reason);
      return () -> notDeleted.add(new ResourceFailure(c.resource(), reason));
    }
  }

  /**
   * Temporal began another attempt of an activity scheduled at {@code scheduledAtMillis}, of the
   * step numbered {@code step} when the activity carried it ({@link AttemptReporter}). A report
   * without it (from a worker of an older version) is the one running step's, if that step began
   * before the activity was scheduled. A late report of an earlier activity is ignored.
   */
  void attempt(long scheduledAtMillis, int attempt, String step) {
    running.stream()
        .filter(e -> step == null ? running.size() == 1 : String.valueOf(e.number).equals(step))
        .filter(e -> scheduledAtMillis >= e.startedAtMillis && attempt > e.attempt)
        .findFirst()
        .ifPresent(e -> e.attempt = attempt);
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
    running.add(entry);
    AttemptReporter.STEP.set(String.valueOf(entry.number));
    activitySummary = state == StepState.COMPENSATING ? deleteTitle(entry.resource) : entry.title;
    currentStep = entry.title;
    onStepStart.accept(entry.title);
  }

  private void end(Entry entry, StepState state, String error) {
    running.remove(entry);
    AttemptReporter.STEP.set(null);
    activitySummary = null;
    entry.state = state;
    entry.endedAt = now();
    entry.lastError = error;
  }

  private String now() {
    return Instant.ofEpochMilli(clock.getAsLong()).toString();
  }
}
