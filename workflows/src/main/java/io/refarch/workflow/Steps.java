package io.refarch.workflow;

import java.util.List;
import java.util.function.Supplier;

/**
 * What a cloud's procedure declares, step by step. The same declarations serve three modes: a plan
 * lists them, a provisioning run executes them (registering each compensation before its create),
 * and a teardown runs only the deletes, in reverse order.
 */
public interface Steps {

  /**
   * A cloud resource: its delete is registered before {@code ensure} is attempted, so a create that
   * fails half-way is cleaned up too. Teardown deletes it. When {@code ensure} returns {@link
   * Ensured#ADOPTED} the resource was not this run's: the delete is dropped, and a failed run
   * leaves it alone. The delete itself may keep what is not this run's or this cluster's ({@link
   * Deletion#kept}).
   */
  <T> T create(Step step, Supplier<T> ensure, Supplier<Deletion> delete);

  /**
   * A resource whose delete reports nothing (clouds whose activities do not mark ownership yet).
   */
  default <T> T create(Step step, Supplier<T> ensure, Runnable delete) {
    return create(step, ensure, deleting(delete));
  }

  default void create(Step step, Runnable ensure, Runnable delete) {
    create(
        step,
        () -> {
          ensure.run();
          return null;
        },
        delete);
  }

  /**
   * Resources made at the same time, where the cloud allows it (eksctl creates an EKS cluster's
   * node groups in parallel). Every delete is registered before any ensure starts; the run waits
   * for all of them, even when one fails, before it goes on or compensates (so no delete races a
   * create still running), and a compensation or a teardown deletes them together too. Returns each
   * ensure's result in the order given.
   */
  <T> List<T> createTogether(List<Creation<T>> creations);

  /** One resource of {@link #createTogether}: as the arguments of {@link #create}. */
  record Creation<T>(Step step, Supplier<T> ensure, Supplier<Deletion> delete) {

    public static Creation<Void> of(Step step, Runnable ensure, Supplier<Deletion> delete) {
      return new Creation<>(
          step,
          () -> {
            ensure.run();
            return null;
          },
          delete);
    }
  }

  /**
   * An object inside the cluster: compensated like a resource on a failed run, but a teardown skips
   * it because it goes away with the cluster.
   */
  <T> T createInCluster(Step step, Supplier<T> ensure, Supplier<Deletion> delete);

  default <T> T createInCluster(Step step, Supplier<T> ensure, Runnable delete) {
    return createInCluster(step, ensure, deleting(delete));
  }

  default void createInCluster(Step step, Runnable ensure, Runnable delete) {
    createInCluster(
        step,
        () -> {
          ensure.run();
          return null;
        },
        delete);
  }

  /** A step with nothing to undo (a delete the procedure wants, a check); teardown skips it. */
  <T> T perform(Step step, Supplier<T> action);

  default void perform(Step step, Runnable action) {
    perform(
        step,
        () -> {
          action.run();
          return null;
        });
  }

  /**
   * Which side of a change of the procedure this run is on ({@link Versions}): {@link
   * Versions#BEFORE} for runs started before the change, {@code newest} for new ones and plans.
   */
  int version(String changeId, int newest);

  private static Supplier<Deletion> deleting(Runnable delete) {
    return () -> {
      delete.run();
      return Deletion.DELETED;
    };
  }
}
