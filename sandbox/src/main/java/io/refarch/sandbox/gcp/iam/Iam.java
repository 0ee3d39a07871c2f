package io.refarch.sandbox.gcp.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.iam.admin.v1.ServiceAccount;
import com.google.iam.v1.Binding;
import com.google.iam.v1.Policy;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.refarch.sandbox.core.EmulatedService;
import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.gcp.GoogleApiError;
import io.refarch.sandbox.gcp.ProtoJson;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Service accounts (IAM admin API) and project IAM policies (Cloud Resource Manager): one state
 * behind the REST front ends gcloud uses and the gRPC one the Java IAM client uses.
 */
public final class Iam implements EmulatedService {

  private static final Pattern ACCOUNT_ID = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])");
  private static final Pattern SERVICE_ACCOUNT_NAME =
      Pattern.compile("projects/([^/]+)/serviceAccounts/([^/]+)");

  private final Faults faults;
  private final Runnable changed;
  private final Map<String, ServiceAccount> accounts = new TreeMap<>(); // by email
  private final Map<String, Policy> policies = new TreeMap<>(); // by project id
  private long etagCounter = 1;

  public Iam(Faults faults, Runnable changed) {
    this.faults = faults;
    this.changed = changed;
  }

  /** {@code parent} is "projects/P". */
  public synchronized ServiceAccount createServiceAccount(
      String parent, String accountId, ServiceAccount template) {
    String project = project(parent);
    faults.check("createServiceAccount", accountId);
    if (accountId == null
        || accountId.length() < 6
        || accountId.length() > 30
        || !ACCOUNT_ID.matcher(accountId).matches()) {
      throw GoogleApiError.invalid(
          "Invalid account_id '"
              + accountId
              + "': it must be 6 to 30 lowercase letters, digits"
              + " or hyphens, start with a letter and not end with a hyphen.");
    }
    String email = accountId + "@" + project + ".iam.gserviceaccount.com";
    if (accounts.containsKey(email)) {
      throw GoogleApiError.alreadyExists(
          "Service account "
              + accountId
              + " already exists within project projects/"
              + project
              + ".");
    }
    String uniqueId = uniqueId(email);
    ServiceAccount account =
        ServiceAccount.newBuilder()
            .setName("projects/" + project + "/serviceAccounts/" + email)
            .setProjectId(project)
            .setUniqueId(uniqueId)
            .setEmail(email)
            .setDisplayName(template.getDisplayName())
            .setDescription(template.getDescription())
            .setEtag(ByteString.copyFromUtf8("MDEwMjE5MjA="))
            .setOauth2ClientId(uniqueId)
            .build();
    accounts.put(email, account);
    changed.run();
    return account;
  }

  /** {@code name} is "projects/P/serviceAccounts/EMAIL_OR_UNIQUE_ID"; P may be "-". */
  public synchronized ServiceAccount getServiceAccount(String name) {
    ServiceAccount account = find(name, "getServiceAccount");
    return account;
  }

  public synchronized void deleteServiceAccount(String name) {
    ServiceAccount account = find(name, "deleteServiceAccount");
    accounts.remove(account.getEmail());
    changed.run();
  }

  public synchronized List<ServiceAccount> listServiceAccounts(String parent) {
    String project = project(parent);
    faults.check("listServiceAccounts", project);
    return accounts.values().stream().filter(a -> a.getProjectId().equals(project)).toList();
  }

  /** {@code resource} is "projects/P". A project nobody touched has an empty policy. */
  public synchronized Policy getIamPolicy(String resource) {
    String project = project(resource);
    faults.check("getIamPolicy", project);
    return policy(project);
  }

  /** Read-modify-write guard: a policy read before someone else's change carries a stale etag. */
  public synchronized Policy setIamPolicy(String resource, Policy policy) {
    String project = project(resource);
    faults.check("setIamPolicy", project);
    Policy current = policy(project);
    if (!policy.getEtag().isEmpty() && !policy.getEtag().equals(current.getEtag())) {
      throw new GoogleApiError(
          Status.Code.ABORTED,
          "There were concurrent policy changes. Please retry the whole"
              + " read-modify-write with exponential backoff. The request's ETag '"
              + java.util.Base64.getEncoder().encodeToString(policy.getEtag().toByteArray())
              + "' did not match the current policy's ETag '"
              + java.util.Base64.getEncoder().encodeToString(current.getEtag().toByteArray())
              + "'.");
    }
    for (Binding b : policy.getBindingsList()) {
      if (!b.getRole().startsWith("roles/") && !b.getRole().startsWith("projects/")) {
        throw GoogleApiError.invalid(
            "Role " + b.getRole() + " is not supported for this resource.");
      }
      for (String member : b.getMembersList()) {
        if (member.startsWith("serviceAccount:")
            && member.endsWith(".iam.gserviceaccount.com")
            && !accounts.containsKey(member.substring("serviceAccount:".length()))) {
          throw GoogleApiError.invalid(
              "Service account "
                  + member.substring("serviceAccount:".length())
                  + " does not exist.");
        }
      }
    }
    Policy stored =
        policy.toBuilder().setVersion(Math.max(1, policy.getVersion())).setEtag(nextEtag()).build();
    policies.put(project, stored);
    changed.run();
    return stored;
  }

  @Override
  public String key() {
    return "iam";
  }

  @Override
  public synchronized List<String> inventory() {
    List<String> lines = new ArrayList<>();
    accounts.values().forEach(a -> lines.add("gcp " + a.getName()));
    policies.forEach(
        (project, policy) ->
            policy
                .getBindingsList()
                .forEach(
                    b ->
                        b.getMembersList()
                            .forEach(
                                m ->
                                    lines.add(
                                        "gcp projects/"
                                            + project
                                            + " iam "
                                            + b.getRole()
                                            + " "
                                            + m))));
    return lines;
  }

  @Override
  public synchronized ObjectNode snapshot() {
    ObjectNode node = Json.object();
    accounts.values().forEach(a -> node.withArray("serviceAccounts").add(ProtoJson.tree(a)));
    ObjectNode p = node.putObject("policies");
    policies.forEach((project, policy) -> p.set(project, ProtoJson.tree(policy)));
    node.put("etagCounter", etagCounter);
    return node;
  }

  @Override
  public synchronized void restore(JsonNode node, boolean serve) {
    clear();
    if (node == null) {
      return;
    }
    node.path("serviceAccounts")
        .forEach(
            a -> {
              ServiceAccount account = ProtoJson.fromTree(a, ServiceAccount.newBuilder()).build();
              accounts.put(account.getEmail(), account);
            });
    node.path("policies")
        .fields()
        .forEachRemaining(
            e ->
                policies.put(
                    e.getKey(), ProtoJson.fromTree(e.getValue(), Policy.newBuilder()).build()));
    etagCounter = Math.max(1, node.path("etagCounter").asLong(1));
  }

  @Override
  public synchronized void clear() {
    accounts.clear();
    policies.clear();
    etagCounter = 1;
  }

  private Policy policy(String project) {
    return policies.computeIfAbsent(
        project, p -> Policy.newBuilder().setVersion(1).setEtag(nextEtag()).build());
  }

  private ByteString nextEtag() {
    return ByteString.copyFrom(
        ByteBuffer.allocate(8).putLong(0x0705_0000_0000_0000L + etagCounter++).array());
  }

  private ServiceAccount find(String name, String operation) {
    Matcher m = SERVICE_ACCOUNT_NAME.matcher(name == null ? "" : name);
    if (!m.matches()) {
      throw GoogleApiError.invalid(
          "Invalid service account name '"
              + name
              + "': expected projects/PROJECT/serviceAccounts/EMAIL.");
    }
    String key = m.group(2);
    faults.check(operation, key.contains("@") ? key.substring(0, key.indexOf('@')) : key, key);
    ServiceAccount account = accounts.get(key);
    if (account == null) {
      account =
          accounts.values().stream()
              .filter(a -> a.getUniqueId().equals(key))
              .findFirst()
              .orElse(null);
    }
    if (account == null
        || (!m.group(1).equals("-") && !account.getProjectId().equals(m.group(1)))) {
      throw GoogleApiError.notFound("Unknown service account");
    }
    return account;
  }

  private static String project(String resource) {
    if (resource == null
        || !resource.startsWith("projects/")
        || resource.substring(9).isEmpty()
        || resource.substring(9).contains("/")) {
      throw GoogleApiError.invalid(
          "Invalid resource name '" + resource + "': expected projects/PROJECT_ID.");
    }
    return resource.substring(9);
  }

  private static String uniqueId(String email) {
    long h = Integer.toUnsignedLong(email.hashCode()) * 1_000_003L + email.length();
    return "1" + String.format("%020d", Math.abs(h)).substring(0, 20);
  }
}
