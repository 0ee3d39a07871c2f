package io.refarch.sandbox.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The injected faults of one sandbox, how often each has fired, and the errors they become. */
public final class Faults {

  private final FaultCatalog catalog;
  private final List<Armed> armed = new ArrayList<>();

  public Faults(List<Fault> faults, FaultCatalog catalog) {
    this.catalog = catalog;
    faults.forEach(
        f -> {
          catalog.check(f);
          armed.add(new Armed(f));
        });
  }

  /** No faults, e.g. to read state without serving it. */
  public static Faults none() {
    return new Faults(List.of(), FaultCatalog.of(List.of()));
  }

  /**
   * Throws the first matching fault that has shots left.
   *
   * @param resources the names the call's target answers to (short name first)
   */
  public synchronized void check(String operation, String... resources) {
    Optional<CloudError> error = take(operation, resources);
    if (error.isPresent()) {
      throw error.get();
    }
  }

  /**
   * Like {@link #check} but hands the error back, for faults that surface later (in an operation).
   */
  public synchronized Optional<CloudError> take(String operation, String... resources) {
    for (Armed a : armed) {
      Fault f = a.fault;
      if (!f.operation().equals(operation)) {
        continue;
      }
      if (f.resource() != null && !List.of(resources).contains(f.resource())) {
        continue;
      }
      if (f.times() != 0 && a.fired >= f.times()) {
        continue;
      }
      a.fired++;
      return Optional.of(catalog.error(f, resources.length > 0 ? resources[0] : null));
    }
    return Optional.empty();
  }

  private static final class Armed {
    final Fault fault;
    int fired;

    Armed(Fault fault) {
      this.fault = fault;
    }
  }
}
