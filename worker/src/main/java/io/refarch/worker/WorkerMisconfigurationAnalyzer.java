package io.refarch.worker;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Start-up failures from a bad setting: the message and what to do, without a stack trace. */
class WorkerMisconfigurationAnalyzer extends AbstractFailureAnalyzer<WorkerMisconfiguration> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, WorkerMisconfiguration cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Correct the setting named above (docs/operations.md lists them) and start the worker again.",
        cause);
  }
}
