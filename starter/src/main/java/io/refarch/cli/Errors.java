package io.refarch.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** One line for a user out of an unexpected exception. */
final class Errors {
  private Errors() {}

  static String message(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s) {
        Status status = s.getStatus();
        if (status.getCode() == Status.Code.UNAVAILABLE) {
          return "cannot reach the Temporal server (" + status.getDescription() + ")";
        }
        return "Temporal answered "
            + status.getCode()
            + (status.getDescription() == null ? "" : ": " + status.getDescription());
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }
}
