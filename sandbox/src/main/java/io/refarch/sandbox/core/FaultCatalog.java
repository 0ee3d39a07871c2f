package io.refarch.sandbox.core;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one cloud lets faults name (its operations and error codes), and the error a fault becomes
 * there.
 */
public interface FaultCatalog {

  /** The operations faults may name; a cloud's operations do not overlap another's. */
  Set<String> operations();

  /**
   * Throws IllegalArgumentException, naming the code and the codes to use, when the code is not
   * this cloud's.
   */
  void checkCode(Fault fault);

  /** The error a matching call answers with, worded as the cloud words it. */
  CloudError error(Fault fault, String resource);

  /**
   * Throws IllegalArgumentException when the fault names an operation or code no cloud here has.
   */
  default void check(Fault fault) {
    if (!operations().contains(fault.operation())) {
      throw new IllegalArgumentException(
          "unknown operation '"
              + fault.operation()
              + "' in fault; known: "
              + String.join(", ", new TreeSet<>(operations())));
    }
    checkCode(fault);
  }

  /** The catalogs of several clouds as one; each fault goes to the cloud that has its operation. */
  static FaultCatalog of(List<FaultCatalog> clouds) {
    return new FaultCatalog() {
      @Override
      public Set<String> operations() {
        Set<String> all = new TreeSet<>();
        clouds.forEach(c -> all.addAll(c.operations()));
        return all;
      }

      @Override
      public void checkCode(Fault fault) {
        owner(fault).checkCode(fault);
      }

      @Override
      public CloudError error(Fault fault, String resource) {
        return owner(fault).error(fault, resource);
      }

      private FaultCatalog owner(Fault fault) {
        return clouds.stream()
            .filter(c -> c.operations().contains(fault.operation()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException("unknown operation '" + fault.operation() + "'"));
      }
    };
  }
}
