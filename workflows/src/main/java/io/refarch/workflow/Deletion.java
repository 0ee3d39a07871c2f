package io.refarch.workflow;

/**
 * What a delete did: deleted (or found it gone), or kept it because it is not this run's or this
 * cluster's to delete, and why (adopted, shared with other clusters, not made by refarch). A delete
 * that cannot do what it should fails instead.
 *
 * @param kept null when deleted; else the reason it was kept
 */
public record Deletion(String kept) {
  public static final Deletion DELETED = new Deletion(null);

  public static Deletion kept(String reason) {
    return new Deletion(reason);
  }

  /** Recorded histories from before deletes reported this hold nothing: they deleted. */
  static boolean deleted(Deletion d) {
    return d == null || d.kept() == null;
  }
}
