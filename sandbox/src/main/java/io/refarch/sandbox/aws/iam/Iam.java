package io.refarch.sandbox.aws.iam;

import com.fasterxml.jackson.databind.JsonNode;
import io.refarch.sandbox.aws.core.AwsError;
import io.refarch.sandbox.core.EmulatedService;
import io.refarch.sandbox.core.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * AWS IAM as EKS needs it: roles with their trust policy, managed policies attached and inline
 * policies, and OpenID Connect providers (IRSA). IAM's rules: a role with policies cannot be
 * deleted (DeleteConflict), names are unique (EntityAlreadyExists), what is not there is
 * NoSuchEntity. IAM is global: no regions.
 */
public final class Iam implements EmulatedService {

  /** A role, as the state file keeps it. */
  public static final class Role {
    public String name;
    public String path = "/";
    public String id;
    public long createDate;
    public String assumeRolePolicyDocument;
    public String description;
    public int maxSessionDuration = 3600;
    public Map<String, String> tags = new TreeMap<>();
    public List<String> attachedPolicyArns = new ArrayList<>();
    public Map<String, String> inlinePolicies = new TreeMap<>();

    public String arn(String account) {
      return "arn:aws:iam::" + account + ":role" + path + name;
    }
  }

  /** An OpenID Connect provider, by its ARN. */
  public static final class OidcProvider {
    public String arn;
    public String url;
    public List<String> clientIds = new ArrayList<>();
    public List<String> thumbprints = new ArrayList<>();
    public long createDate;
    public Map<String, String> tags = new TreeMap<>();
  }

  /** Everything IAM keeps: what the state file holds under "aws-iam". */
  public static final class State {
    public Map<String, Role> roles = new TreeMap<>();
    public Map<String, OidcProvider> oidcProviders = new TreeMap<>();
  }

  private final String account;
  private final Clock clock;
  private final Runnable changed;
  private State state = new State();

  public Iam(String account, Clock clock, Runnable changed) {
    this.account = account;
    this.clock = clock;
    this.changed = changed;
  }

  public String account() {
    return account;
  }

  // ---- roles ----

  public synchronized Role createRole(
      String name,
      String path,
      String trustPolicy,
      String description,
      Integer maxSessionDuration,
      Map<String, String> tags) {
    if (!name.matches("[\\w+=,.@-]{1,64}")) {
      throw AwsError.client(
          "ValidationError",
          "1 validation error detected: Value '"
              + name
              + "' at 'roleName' failed to satisfy constraint: Member must satisfy regular"
              + " expression pattern: [\\w+=,.@-]+");
    }
    if (state.roles.containsKey(name)) {
      throw new AwsError(409, "EntityAlreadyExists", "Role with name " + name + " already exists.");
    }
    checkPolicy(trustPolicy);
    Role role = new Role();
    role.name = name;
    role.path = path == null ? "/" : path;
    role.id = "AROA" + randomId();
    role.createDate = clock.millis();
    role.assumeRolePolicyDocument = trustPolicy;
    role.description = description;
    if (maxSessionDuration != null) {
      role.maxSessionDuration = maxSessionDuration;
    }
    role.tags.putAll(tags);
    state.roles.put(name, role);
    changed.run();
    return role;
  }

  public synchronized Role getRole(String name) {
    Role role = state.roles.get(name);
    if (role == null) {
      throw noSuchEntity("The role with name " + name + " cannot be found.");
    }
    return role;
  }

  /** Whether a role with this ARN exists, for EKS, which assumes the roles it is given. */
  public synchronized boolean roleExists(String arn) {
    return state.roles.values().stream().anyMatch(r -> r.arn(account).equals(arn));
  }

  public synchronized List<Role> listRoles(String pathPrefix) {
    return state.roles.values().stream()
        .filter(r -> pathPrefix == null || r.path.startsWith(pathPrefix))
        .toList();
  }

  public synchronized void deleteRole(String name) {
    Role role = getRole(name);
    if (!role.attachedPolicyArns.isEmpty()) {
      throw new AwsError(
          409, "DeleteConflict", "Cannot delete entity, must detach all policies first.");
    }
    if (!role.inlinePolicies.isEmpty()) {
      throw new AwsError(
          409, "DeleteConflict", "Cannot delete entity, must delete policies first.");
    }
    state.roles.remove(name);
    changed.run();
  }

  public synchronized void tagRole(String name, Map<String, String> tags) {
    getRole(name).tags.putAll(tags);
    changed.run();
  }

  public synchronized void attachRolePolicy(String name, String policyArn) {
    Role role = getRole(name);
    if (!policyArn.matches("arn:aws[\\w-]*:iam::(aws|\\d{12}):policy/.+")) {
      throw AwsError.client("InvalidInput", "ARN " + policyArn + " is not valid.");
    }
    if (!role.attachedPolicyArns.contains(policyArn)) {
      role.attachedPolicyArns.add(policyArn);
      changed.run();
    }
  }

  public synchronized void detachRolePolicy(String name, String policyArn) {
    Role role = getRole(name);
    if (!role.attachedPolicyArns.remove(policyArn)) {
      throw noSuchEntity("Policy " + policyArn + " was not found.");
    }
    changed.run();
  }

  public synchronized void putRolePolicy(String name, String policyName, String document) {
    Role role = getRole(name);
    checkPolicy(document);
    role.inlinePolicies.put(policyName, document);
    changed.run();
  }

  public synchronized String getRolePolicy(String name, String policyName) {
    String document = getRole(name).inlinePolicies.get(policyName);
    if (document == null) {
      throw noSuchEntity("The role policy with name " + policyName + " cannot be found.");
    }
    return document;
  }

  public synchronized void deleteRolePolicy(String name, String policyName) {
    if (getRole(name).inlinePolicies.remove(policyName) == null) {
      throw noSuchEntity("The role policy with name " + policyName + " cannot be found.");
    }
    changed.run();
  }

  // ---- OpenID Connect providers ----

  public synchronized OidcProvider createOpenIdConnectProvider(
      String url, List<String> clientIds, List<String> thumbprints, Map<String, String> tags) {
    if (!url.startsWith("https://")) {
      throw AwsError.client("ValidationError", "Invalid issuer URL: it must start with https://");
    }
    String arn = "arn:aws:iam::" + account + ":oidc-provider/" + url.substring("https://".length());
    if (state.oidcProviders.containsKey(arn)) {
      throw new AwsError(
          409, "EntityAlreadyExists", "Provider with url " + url + " already exists.");
    }
    OidcProvider provider = new OidcProvider();
    provider.arn = arn;
    provider.url = url.substring("https://".length());
    provider.clientIds.addAll(clientIds);
    provider.thumbprints.addAll(thumbprints);
    provider.createDate = clock.millis();
    provider.tags.putAll(tags);
    state.oidcProviders.put(arn, provider);
    changed.run();
    return provider;
  }

  public synchronized OidcProvider getOpenIdConnectProvider(String arn) {
    OidcProvider provider = state.oidcProviders.get(arn);
    if (provider == null) {
      throw noSuchEntity("OpenIDConnect Provider not found for arn " + arn);
    }
    return provider;
  }

  public synchronized List<OidcProvider> listOpenIdConnectProviders() {
    return List.copyOf(state.oidcProviders.values());
  }

  public synchronized void deleteOpenIdConnectProvider(String arn) {
    if (state.oidcProviders.remove(arn) == null) {
      throw noSuchEntity("OpenIDConnect Provider not found for arn " + arn);
    }
    changed.run();
  }

  private static AwsError noSuchEntity(String message) {
    return new AwsError(404, "NoSuchEntity", message);
  }

  private static void checkPolicy(String document) {
    try {
      if (document == null || !Json.tree(document).isObject()) {
        throw new IllegalArgumentException();
      }
    } catch (RuntimeException e) {
      throw AwsError.client("MalformedPolicyDocument", "This policy contains invalid Json");
    }
  }

  private static String randomId() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 17; i++) {
      id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return id.toString();
  }

  // ---- EmulatedService ----

  @Override
  public String key() {
    return "aws-iam";
  }

  @Override
  public synchronized JsonNode snapshot() {
    return Json.MAPPER.valueToTree(state);
  }

  @Override
  public synchronized void restore(JsonNode snapshot, boolean serve) {
    state =
        snapshot == null || snapshot.isMissingNode() || snapshot.isNull()
            ? new State()
            : Json.MAPPER.convertValue(snapshot, State.class);
  }

  @Override
  public synchronized List<String> inventory() {
    List<String> lines = new ArrayList<>();
    state
        .roles
        .values()
        .forEach(
            r -> {
              lines.add("iam role " + r.name);
              r.attachedPolicyArns.forEach(p -> lines.add("iam role " + r.name + " attached " + p));
              r.inlinePolicies
                  .keySet()
                  .forEach(p -> lines.add("iam role " + r.name + " inline " + p));
            });
    state.oidcProviders.values().forEach(p -> lines.add("iam oidc-provider " + p.arn));
    return lines;
  }

  @Override
  public synchronized void clear() {
    state = new State();
  }
}
