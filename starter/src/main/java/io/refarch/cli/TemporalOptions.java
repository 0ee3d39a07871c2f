package io.refarch.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/** Which Temporal a command talks to. */
final class TemporalOptions {
  @Option(
      names = "--temporal",
      paramLabel = "HOST:PORT",
      description =
          "A Temporal server whose workers run the activities (default: $TEMPORAL_ADDRESS). "
              + "Without either, up and down run on refarch's local Temporal (or in this process without the temporal CLI), "
              + "and status, history and cancel look there, then in .refarch/runs/.")
  String address;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      defaultValue = "default",
      description = "Temporal namespace, with --temporal (default: ${DEFAULT-VALUE}).")
  String namespace;

  /** The server to talk to, or null for the in-process one. */
  String address(Map<String, String> env) {
    if (address != null && !address.isBlank()) {
      return address;
    }
    String fromEnv = env.get("TEMPORAL_ADDRESS");
    return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
  }
}
