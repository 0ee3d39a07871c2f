package io.refarch.sandbox.azure.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.azure.core.ArmError;
import io.refarch.sandbox.azure.core.AzureRegions;
import io.refarch.sandbox.core.EmulatedService;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.core.Latency;
import io.refarch.sandbox.core.OperationTiming;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * ARM's resource groups, in any subscription: names are case-insensitive and keep the case they
 * were created with; a delete takes what the {@link Latency} gives {@code
 * arm.DELETE_RESOURCE_GROUP} (at least as long as the deletes of what is in the group, which the
 * caller starts) and the group answers {@code Deleting} meanwhile, as ARM's do.
 */
public final class ResourceGroups implements EmulatedService {

  /** A group as the state file keeps it. */
  public static final class Group {
    public String subscription;
    public String name;
    public String location;
    public ObjectNode tags;
    public String provisioningState = "Succeeded";

    /** When the delete ends, epoch millis; 0 while none runs. */
    public long dueAt;

    /** The delete's id, which its Location URL names. */
    public String deleteId;

    public long deleteStarted;
  }

  private final Clock clock;
  private final Latency latency;
  private final Runnable changed;
  private Map<String, Group> groups = new TreeMap<>();

  /** Deletes since start, for benchmarks; not saved. */
  private final List<OperationTiming> timings = new ArrayList<>();

  public ResourceGroups(Clock clock, Latency latency, Runnable changed) {
    this.clock = clock;
    this.latency = latency;
    this.changed = changed;
  }

  private static String key(String subscription, String name) {
    return subscription.toLowerCase() + "/" + name.toLowerCase();
  }

  /** Creates or updates; answers whether it was created, and the group. */
  public synchronized Map.Entry<Boolean, ObjectNode> put(
      String subscription, String name, JsonNode request) {
    advance();
    ArmError.checkTags(request.get("tags"));
    if (!name.matches("[-\\w._()]{1,90}") || name.endsWith(".")) {
      throw new ArmError(
          400,
          "InvalidResourceGroup",
          "The provided resource group name '"
              + name
              + "' has these invalid characters: '"
              + name.replaceAll("[-\\w._()]", "")
              + "'. The name can only be a letter, digit, '-', '.', '(', ')' or '_'.");
    }
    String location = request.path("location").asText("");
    if (location.isEmpty()) {
      throw new ArmError(
          400, "LocationRequired", "The location property is required for this definition.");
    }
    if (!AzureRegions.offered(location)) {
      throw new ArmError(
          400,
          "LocationNotAvailableForResourceType",
          "The provided location '"
              + location
              + "' is not available for resource type 'Microsoft.Resources/resourceGroups'. List"
              + " of available regions for the resource type is '"
              + String.join(",", AzureRegions.ALL)
              + "'.");
    }
    Group existing = groups.get(key(subscription, name));
    if (existing != null) {
      if (existing.provisioningState.equals("Deleting")) {
        throw new ArmError(
            409,
            "ResourceGroupBeingDeleted",
            "The resource group '"
                + existing.name
                + "' is in deprovisioning state and cannot perform this operation.");
      }
      if (!AzureRegions.normalize(location).equals(existing.location)) {
        throw new ArmError(
            409,
            "InvalidResourceGroupLocation",
            "Invalid resource group location '"
                + location
                + "'. The Resource group already exists in location '"
                + existing.location
                + "'.");
      }
      if (request.has("tags")) {
        existing.tags = (ObjectNode) request.get("tags").deepCopy();
      }
      changed.run();
      return Map.entry(false, toJson(existing));
    }
    Group group = new Group();
    group.subscription = subscription;
    group.name = name;
    group.location = AzureRegions.normalize(location);
    group.tags =
        request.path("tags").isObject() ? (ObjectNode) request.get("tags").deepCopy() : null;
    groups.put(key(subscription, name), group);
    changed.run();
    return Map.entry(true, toJson(group));
  }

  public synchronized ObjectNode get(String subscription, String name) {
    advance();
    return toJson(group(subscription, name));
  }

  public synchronized Optional<Group> find(String subscription, String name) {
    advance();
    return Optional.ofNullable(groups.get(key(subscription, name)));
  }

  /** Throws ARM's 404 when the group does not exist. */
  public synchronized Group group(String subscription, String name) {
    advance();
    Group group = groups.get(key(subscription, name));
    if (group == null) {
      throw ArmError.resourceGroupNotFound(name);
    }
    return group;
  }

  public synchronized List<ObjectNode> list(String subscription) {
    advance();
    return groups.values().stream()
        .filter(g -> g.subscription.equalsIgnoreCase(subscription))
        .map(ResourceGroups::toJson)
        .toList();
  }

  /**
   * Starts deleting the group (again: the same delete), due no earlier than {@code contentsDueAt}
   * (the deletes of what is in it); answers the delete's id.
   */
  public synchronized String delete(String subscription, String name, long contentsDueAt) {
    Group group = group(subscription, name);
    if (group.dueAt == 0) {
      long now = clock.millis();
      group.provisioningState = "Deleting";
      group.deleteStarted = now;
      group.dueAt =
          Math.max(now + latency.of("arm.DELETE_RESOURCE_GROUP").toMillis(), contentsDueAt);
      group.deleteId =
          "RESOURCEGROUPDELETIONJOB-" + Long.toHexString(now) + "-" + group.name.toUpperCase();
      timings.add(
          new OperationTiming(
              group.deleteId,
              "arm.DELETE_RESOURCE_GROUP",
              group.name,
              Instant.ofEpochMilli(now),
              null));
      changed.run();
    }
    return group.deleteId;
  }

  /** Whether the delete {@code id} still runs; empty when no such delete is known. */
  public synchronized Optional<Boolean> deleting(String subscription, String id) {
    advance();
    for (Group g : groups.values()) {
      if (id.equals(g.deleteId) && g.subscription.equalsIgnoreCase(subscription)) {
        return Optional.of(true);
      }
    }
    boolean known = timings.stream().anyMatch(t -> t.id().equals(id));
    return known || id.startsWith("RESOURCEGROUPDELETIONJOB-")
        ? Optional.of(false)
        : Optional.empty();
  }

  private void advance() {
    long now = clock.millis();
    var it = groups.values().iterator();
    while (it.hasNext()) {
      Group g = it.next();
      if (g.dueAt != 0 && g.dueAt <= now) {
        it.remove();
        for (int i = 0; i < timings.size(); i++) {
          OperationTiming t = timings.get(i);
          if (t.id().equals(g.deleteId)) {
            timings.set(
                i,
                new OperationTiming(
                    t.id(), t.kind(), t.target(), t.started(), Instant.ofEpochMilli(g.dueAt)));
          }
        }
        changed.run();
      }
    }
  }

  public synchronized List<OperationTiming> timings() {
    advance();
    return List.copyOf(timings);
  }

  public static ObjectNode toJson(Group g) {
    ObjectNode node = Json.object();
    node.put("id", "/subscriptions/" + g.subscription + "/resourceGroups/" + g.name);
    node.put("name", g.name);
    node.put("type", "Microsoft.Resources/resourceGroups");
    node.put("location", g.location);
    if (g.tags != null) {
      node.set("tags", g.tags.deepCopy());
    }
    node.putObject("properties").put("provisioningState", g.provisioningState);
    return node;
  }

  // ---- EmulatedService ----

  @Override
  public String key() {
    return "azure";
  }

  @Override
  public synchronized JsonNode snapshot() {
    ObjectNode node = Json.object();
    node.set("groups", Json.MAPPER.valueToTree(groups));
    return node;
  }

  @Override
  public synchronized void restore(JsonNode snapshot, boolean serve) {
    clear();
    JsonNode saved = snapshot == null ? null : snapshot.path("groups");
    if (saved == null || !saved.isObject()) {
      return;
    }
    saved
        .fields()
        .forEachRemaining(
            e -> groups.put(e.getKey(), Json.MAPPER.convertValue(e.getValue(), Group.class)));
  }

  @Override
  public synchronized List<String> inventory() {
    advance();
    List<String> lines = new ArrayList<>();
    groups
        .values()
        .forEach(
            g ->
                lines.add(
                    "azure group "
                        + g.subscription
                        + "/"
                        + g.name
                        + " "
                        + g.location
                        + " "
                        + g.provisioningState));
    return lines;
  }

  @Override
  public synchronized void clear() {
    groups = new TreeMap<>();
    timings.clear();
  }
}
