package io.refarch.sandbox;

import io.grpc.Status;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error the sandbox answers instead of doing the work, to test how clients cope with GCP failures.
 *
 * @param operation API method name, e.g. createNodePool; with ".done" (createCluster.done, createNodePool.done,
 *                  deleteCluster.done, deleteNodePool.done) the call succeeds and its operation fails instead
 * @param resource  short name of the target (service account id, cluster or node pool name, project id for
 *                  policies, operation id or its target's name for getOperation); null matches any
 * @param code      gRPC status name, e.g. RESOURCE_EXHAUSTED
 * @param times     how often it fires before the call succeeds again; 0 = always
 */
public record Fault(String operation, String resource, String code, int times) {

    public static final Set<String> OPERATIONS = Set.of(
            "createServiceAccount", "getServiceAccount", "deleteServiceAccount", "listServiceAccounts",
            "getIamPolicy", "setIamPolicy",
            "createCluster", "getCluster", "listClusters", "deleteCluster",
            "createNodePool", "getNodePool", "listNodePools", "deleteNodePool",
            "getOperation", "listOperations",
            // The call is accepted; its operation ends DONE with the error and the resource in ERROR.
            "createCluster.done", "deleteCluster.done", "createNodePool.done", "deleteNodePool.done");

    private static final Pattern SYNTAX = Pattern.compile("([^:=]*)(?::([^=]*))?=([A-Za-z_]*?)(?:x(\\d+))?");

    public Fault {
        if (!OPERATIONS.contains(operation)) {
            throw new IllegalArgumentException("unknown operation '" + operation + "' in fault; known: "
                    + String.join(", ", OPERATIONS.stream().sorted().toList()));
        }
        if (resource != null && resource.isBlank()) {
            throw new IllegalArgumentException("empty resource in fault for " + operation);
        }
        try {
            if (Status.Code.valueOf(code) == Status.Code.OK) {
                throw new IllegalArgumentException("status code OK is not a fault");
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("status code OK")) {
                throw e;
            }
            throw new IllegalArgumentException("unknown status code '" + code + "' in fault for " + operation
                    + "; use a gRPC status name such as RESOURCE_EXHAUSTED or UNAVAILABLE");
        }
        if (times < 0) {
            throw new IllegalArgumentException("times must be >= 0 in fault for " + operation + ", got " + times);
        }
    }

    /**
     * Parses {@code operation[:resource]=CODE[xN]}, e.g. {@code createNodePool:workload-headless-workspaces=RESOURCE_EXHAUSTED}
     * or {@code getOperation=UNAVAILABLEx3}.
     */
    public static Fault parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty fault; expected operation[:resource]=CODE[xN]");
        }
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("fault '" + text + "' does not read operation[:resource]=CODE[xN],"
                    + " e.g. createNodePool:workload-services=RESOURCE_EXHAUSTEDx2");
        }
        int times = 0;
        if (m.group(4) != null) {
            try {
                times = Integer.parseInt(m.group(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("count 'x" + m.group(4) + "' in fault '" + text + "' is too large");
            }
            if (times == 0) {
                throw new IllegalArgumentException("count 'x0' in fault '" + text + "': leave the count out for always");
            }
        }
        return new Fault(m.group(1), m.group(2), m.group(3), times);
    }

    @Override
    public String toString() {
        return operation + (resource == null ? "" : ":" + resource) + "=" + code + (times == 0 ? "" : "x" + times);
    }
}
