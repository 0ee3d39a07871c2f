package io.refarch.activities.gke.preflight;

import io.refarch.workflow.PreflightReport.Check;

/** Whether the caller's credentials work, and as which principal. */
@FunctionalInterface
public interface Identity {
  /** The "Credentials" check; never throws for credentials that do not work, it says so. */
  Check check();
}
