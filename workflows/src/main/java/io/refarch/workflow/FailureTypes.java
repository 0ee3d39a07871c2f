package io.refarch.workflow;

import java.util.List;

/**
 * The ApplicationFailure types activities raise. Permanent ones are non-retryable: retrying cannot
 * fix a bad argument, a missing permission, an exhausted quota, a worker that is not set up or a
 * resource that exists with another spec. The UI and {@code refarch} show the type beside the
 * message.
 */
public final class FailureTypes {
  public static final String INVALID_ARGUMENT = "InvalidArgument";
  public static final String PERMISSION_DENIED = "PermissionDenied";
  public static final String QUOTA_EXCEEDED = "QuotaExceeded";

  /**
   * The worker or the project is not set up (no Application Default Credentials, credentials Google
   * rejects, an API not enabled, a directory the worker cannot write); the message says how to fix
   * it.
   */
  public static final String CONFIGURATION = "ConfigurationError";

  /**
   * The cloud refused because something is not in the state the call needs, and waiting will not
   * change it (a busy cluster is retried instead); the message is the cloud's.
   */
  public static final String FAILED_PRECONDITION = "FailedPrecondition";

  /** The resource exists but differs from the spec; the message names the differing fields. */
  public static final String SPEC_MISMATCH = "SpecMismatch";

  /** A cloud operation finished with an error. */
  public static final String OPERATION_FAILED = "OperationFailed";

  /**
   * A provisioning run's first step found what would fail later (credentials, an API not enabled, a
   * Kubernetes version not offered, too little quota, a name taken by another spec); nothing was
   * created. The message names every failed check and what to fix; details carry the {@link
   * PreflightReport}.
   */
  public static final String PREFLIGHT_FAILED = "PreflightFailed";

  /** The nodes do not meet Gitpod's requirements. */
  public static final String NODE_CHECK_FAILED = "NodeCheckFailed";

  /** A whole provisioning run failed (after compensation); details carry the RunOutcome. */
  public static final String PROVISION_FAILED = "ProvisionFailed";

  /** A teardown left resources behind; details carry the RunOutcome. */
  public static final String TEARDOWN_INCOMPLETE = "TeardownIncomplete";

  /**
   * An activity task reached a worker that has no such activity type (an EKS run on a worker with
   * only the GKE activities). refarch reports the SDK's failure below under this type, with the
   * missing cloud and the worker named.
   */
  public static final String ACTIVITY_NOT_REGISTERED = "ActivityNotRegistered";

  /**
   * The type of the failure the Java SDK's worker reports for an activity type it has no
   * implementation of: its ActivityTaskHandlerImpl throws {@code IllegalArgumentException("Activity
   * Type \"X\" is not registered with a worker. Known types are: ...")}, which the failure
   * converter sends as a retryable ApplicationFailure typed with the exception's class name. Left
   * retryable, a run retries it for its whole retry budget (and each compensating delete again).
   */
  public static final String SDK_ACTIVITY_NOT_REGISTERED = "java.lang.IllegalArgumentException";

  /**
   * An attempt that handed its wait back to the server (a worker with handed-back waits): a read
   * found the operation still running, and the next attempt reads again after the wait. Retryable
   * and benign; {@code refarch} shows it neither as a retry nor as an error.
   */
  public static final String WAITING = "Waiting";

  /**
   * An attempt its worker handed back as it stopped (SIGTERM); retried about a second later on
   * another worker, never a reason to compensate.
   */
  public static final String WORKER_STOPPING = "WorkerStopping";

  public static final List<String> PERMANENT =
      List.of(
          INVALID_ARGUMENT,
          PERMISSION_DENIED,
          QUOTA_EXCEEDED,
          CONFIGURATION,
          FAILED_PRECONDITION,
          SPEC_MISMATCH,
          OPERATION_FAILED,
          NODE_CHECK_FAILED,
          PREFLIGHT_FAILED);

  private FailureTypes() {}
}
