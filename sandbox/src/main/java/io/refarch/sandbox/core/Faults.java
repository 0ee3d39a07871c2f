package io.refarch.sandbox.core;

import io.grpc.Status;
import io.refarch.sandbox.Fault;
import java.util.ArrayList;
import java.util.List;

/** The injected faults of one sandbox and how often each has fired. */
public final class Faults {

    private final List<Armed> armed = new ArrayList<>();

    public Faults(List<Fault> faults) {
        faults.forEach(f -> armed.add(new Armed(f)));
    }

    /**
     * Throws the first matching fault that has shots left.
     *
     * @param resources the names the call's target answers to (short name first)
     */
    public synchronized void check(String operation, String... resources) {
        java.util.Optional<ApiError> error = take(operation, resources);
        if (error.isPresent()) {
            throw error.get();
        }
    }

    /** Like {@link #check} but hands the error back, for faults that surface later (in an operation). */
    public synchronized java.util.Optional<ApiError> take(String operation, String... resources) {
        for (Armed a : armed) {
            Fault f = a.fault;
            if (!f.operation().equals(operation)) {
                continue;
            }
            if (f.resource() != null && !List.of(resources).contains(f.resource())) {
                continue;
            }
            if (f.times() != 0 && a.fired >= f.times()) {
                continue;
            }
            a.fired++;
            Status.Code code = Status.Code.valueOf(f.code());
            return java.util.Optional.of(new ApiError(code, message(code, operation, resources.length > 0 ? resources[0] : null)));
        }
        return java.util.Optional.empty();
    }

    /** Messages as GCP words them for the statuses people meet in practice. */
    private static String message(Status.Code code, String operation, String resource) {
        return switch (code) {
            case RESOURCE_EXHAUSTED -> "Insufficient regional quota to satisfy request: resource \"CPUS\": request requires"
                    + " '16.0' and is short '8.0'. project has a quota of '24.0' with '8.0' available."
                    + " View and manage quotas at https://console.cloud.google.com/iam-admin/quotas.";
            case UNAVAILABLE -> "The service is currently unavailable.";
            case DEADLINE_EXCEEDED -> "Deadline expired before operation could complete.";
            case PERMISSION_DENIED -> "The caller does not have permission";
            case INTERNAL -> "Internal error encountered.";
            default -> "Sandbox fault " + code + " injected for " + operation + (resource == null ? "" : " on " + resource) + ".";
        };
    }

    private static final class Armed {
        final Fault fault;
        int fired;

        Armed(Fault fault) {
            this.fault = fault;
        }
    }
}
