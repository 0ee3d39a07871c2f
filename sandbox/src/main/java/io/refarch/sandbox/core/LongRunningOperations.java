package io.refarch.sandbox.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Long-running operations as clouds run them (GKE's Operation, ARM's async operations, EKS's
 * updates), on the sandbox's clock: each is due as long after it starts as its kind takes ({@link
 * Latency}) and finishes lazily, when the emulator next asks for {@link #due()}; so an emulator
 * needs no timer threads and no ordering races. Finished operations stay, for get and list. Not
 * thread-safe: the owning emulator serializes calls.
 *
 * @param <O> the cloud's own record of an operation (its wire message, its target)
 */
public final class LongRunningOperations<O extends LongRunningOperations.Operation> {

  /** What the model needs of a cloud's operation. */
  public interface Operation {
    /** When it is due, in the clock's epoch millis; 0: at once. */
    long dueAt();

    /** Whether the cloud has completed it. */
    boolean finished();
  }

  private final Clock clock;
  private final Latency latency;
  private final Map<String, O> operations = new LinkedHashMap<>();

  public LongRunningOperations(Clock clock, Latency latency) {
    this.clock = clock;
    this.latency = latency;
  }

  public Instant now() {
    return clock.instant();
  }

  /**
   * The start of an operation starting now, to the millisecond: its due time is counted from the
   * same instant the cloud reports as its start, so a client that waits exactly as long as the
   * operation takes finds it done.
   */
  public Instant startNow() {
    return Instant.ofEpochMilli(clock.millis());
  }

  /** When an operation of {@code kind} (e.g. {@code gke.CREATE_CLUSTER}) started then is due. */
  public long dueAt(Instant started, String kind) {
    return started.toEpochMilli() + latency.of(kind).toMillis();
  }

  /**
   * A fresh operation id, e.g. "operation-1732960000000-1a2b3c4d", unique and sortable by start.
   */
  public String newId(String prefix) {
    return prefix
        + clock.millis()
        + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
  }

  public void add(String key, O operation) {
    operations.put(key, operation);
  }

  public Optional<O> get(String key) {
    return Optional.ofNullable(operations.get(key));
  }

  /** Every operation, finished or not, in the order they started. */
  public List<O> all() {
    return List.copyOf(operations.values());
  }

  /** The first unfinished operation that matches, e.g. one running on a given cluster. */
  public Optional<O> running(Predicate<O> which) {
    return operations.values().stream().filter(o -> !o.finished() && which.test(o)).findFirst();
  }

  /**
   * The unfinished operations that are due now, in the order they fell due: the caller completes
   * them.
   */
  public List<O> due() {
    long now = clock.millis();
    List<O> due =
        new ArrayList<>(
            operations.values().stream().filter(o -> !o.finished() && o.dueAt() <= now).toList());
    due.sort(Comparator.comparingLong(Operation::dueAt));
    return due;
  }

  public void clear() {
    operations.clear();
  }
}
