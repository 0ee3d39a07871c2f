package io.refarch.worker;

/**
 * A setting the worker cannot start with; the message names the setting (property and environment
 * variable) and what is wrong, never a secret. {@link WorkerMisconfigurationAnalyzer} shows it at
 * start-up instead of a stack trace.
 */
class WorkerMisconfiguration extends IllegalArgumentException {
  WorkerMisconfiguration(String message) {
    super(message);
  }
}
