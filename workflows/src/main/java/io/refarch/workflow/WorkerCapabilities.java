package io.refarch.workflow;

import io.refarch.spec.Cloud;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which clouds a worker can run, and how a worker says so to the CLI.
 *
 * <p>Temporal hands an activity task to whichever worker of the task queue polls first, and a
 * worker without the activity type fails the task ("not registered"). So before {@code refarch up
 * --temporal} starts a run it must know that the workers of the task queue have the spec's cloud.
 * Temporal lists the pollers of a task queue (DescribeTaskQueue: identity and last access time of
 * every worker that polled in the last minutes) but not the activity types they registered. The
 * options weighed:
 *
 * <ul>
 *   <li><b>The worker's identity carries its clouds</b> ({@code 12345@host refarch-worker[gcp]}):
 *       one DescribeTaskQueue call shows every worker of the queue and what each can run, so the
 *       CLI can tell "no worker has the cloud" and "some workers lack it" apart and name them.
 *       Works with any number of workers and on any server, costs the worker one option, and the
 *       identity also shows in each activity's started event, so the history says what the worker
 *       could do.
 *   <li>Per-cloud task queues (EKS activities on {@code refarch-aws}): routing would be right by
 *       construction even on a mixed fleet, but the workflows would schedule on new queues (a
 *       migration for runs in flight and for every deployment), and the CLI would still need
 *       DescribeTaskQueue to see whether anyone polls them; a run without such a worker would wait
 *       silently instead of failing. More moving parts for a fleet that is uniform in practice.
 *   <li>A probe workflow or query: answered by one worker only, so it cannot speak for several, and
 *       with no worker it hangs until a timeout.
 *   <li>Worker deployment / build-id metadata: it versions workflow code, says nothing about
 *       activity types, and needs versioning set up on the server.
 * </ul>
 *
 * <p>Temporal's rule is that the workers of one task queue register the same types; the check holds
 * the fleet to it (a queue where some workers lack the cloud is refused, because any step may land
 * on one of them). The workflow side fails fast when it happens anyway (see {@link
 * FailureTypes#ACTIVITY_NOT_REGISTERED}).
 */
public final class WorkerCapabilities {
  private static final Pattern ADVERTISED = Pattern.compile("refarch-worker\\[([a-z,]*)\\]");

  /** Activity type name (e.g. {@code EksEnsureNetwork}) to the cloud whose activities it is. */
  private static final Map<String, Cloud> CLOUD_OF_TYPE = new HashMap<>();

  /** Every activity type a cloud's procedure may call, its own and the shared Kubernetes ones. */
  private static final Map<Cloud, Set<String>> TYPES_OF_CLOUD = new HashMap<>();

  static {
    for (Cloud cloud : Cloud.values()) {
      Set<String> types = new LinkedHashSet<>();
      for (Class<?> needed : Procedures.activitiesNeeded(cloud)) {
        for (String type : typesOf(needed)) {
          types.add(type);
          if (isCloudSpecific(needed)) {
            CLOUD_OF_TYPE.put(type, cloud);
          }
        }
      }
      TYPES_OF_CLOUD.put(cloud, types);
    }
  }

  private WorkerCapabilities() {}

  /** The clouds whose every needed activity interface one of {@code activities} implements. */
  public static Set<Cloud> clouds(Collection<?> activities) {
    Set<Cloud> clouds = EnumSet.noneOf(Cloud.class);
    for (Cloud cloud : Cloud.values()) {
      if (Procedures.activitiesNeeded(cloud).stream()
          .allMatch(needed -> activities.stream().anyMatch(needed::isInstance))) {
        clouds.add(cloud);
      }
    }
    return clouds;
  }

  /** The clouds whose every activity type is among {@code types} (a worker's registered types). */
  public static Set<Cloud> cloudsOfTypes(Collection<String> types) {
    Set<Cloud> clouds = EnumSet.noneOf(Cloud.class);
    for (Cloud cloud : Cloud.values()) {
      if (types.containsAll(TYPES_OF_CLOUD.get(cloud))) {
        clouds.add(cloud);
      }
    }
    return clouds;
  }

  /**
   * The identity a worker polls with: {@code base} (Temporal's default is {@code pid@host}) and the
   * clouds it can run, e.g. {@code 12345@host refarch-worker[gcp,aws]}.
   */
  public static String identity(String base, Set<Cloud> clouds) {
    return base + " refarch-worker[" + ids(clouds) + "]";
  }

  /**
   * The clouds a poller's identity says its worker can run; empty if the identity does not say (not
   * a refarch worker, or one older than this).
   */
  public static Optional<Set<Cloud>> advertised(String identity) {
    if (identity == null) {
      return Optional.empty();
    }
    Matcher m = ADVERTISED.matcher(identity);
    if (!m.find()) {
      return Optional.empty();
    }
    Set<Cloud> clouds = EnumSet.noneOf(Cloud.class);
    for (String id : m.group(1).split(",")) {
      for (Cloud c : Cloud.values()) {
        if (c.id().equals(id)) {
          clouds.add(c);
        }
      }
    }
    return Optional.of(clouds);
  }

  /** The cloud whose activities {@code activityType} belongs to; empty for the shared ones. */
  public static Optional<Cloud> cloudOf(String activityType) {
    return Optional.ofNullable(CLOUD_OF_TYPE.get(activityType));
  }

  /** {@code gcp,aws} */
  public static String ids(Set<Cloud> clouds) {
    return clouds.stream().map(Cloud::id).collect(Collectors.joining(","));
  }

  private static boolean isCloudSpecific(Class<?> activityInterface) {
    int clouds = 0;
    for (Cloud cloud : Cloud.values()) {
      if (Procedures.activitiesNeeded(cloud).contains(activityInterface)) {
        clouds++;
      }
    }
    return clouds == 1;
  }

  private static Set<String> typesOf(Class<?> activityInterface) {
    return POJOActivityInterfaceMetadata.newInstance(activityInterface)
        .getMethodsMetadata()
        .stream()
        .map(POJOActivityMethodMetadata::getActivityTypeName)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }
}
