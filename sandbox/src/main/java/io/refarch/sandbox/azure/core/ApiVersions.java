package io.refarch.sandbox.azure.core;

import java.util.List;
import java.util.Map;

/**
 * The api-versions the emulated resource types accept, checked as ARM checks them: a request
 * without one, or with one the provider does not have, is refused before it reaches the resource.
 * The lists hold the versions the SDK jars refarch uses send (containerservice 2.56.1: 2025-09-01;
 * resources 2.54.1: 2025-04-01; subscriptions: 2022-12-01) and the recent stable versions the Azure
 * CLI and other clients send; the sandbox answers every one with the same shapes.
 */
public final class ApiVersions {

  private ApiVersions() {}

  public static final List<String> RESOURCES =
      List.of(
          "2025-04-01",
          "2025-03-01",
          "2024-11-01",
          "2024-07-01",
          "2024-03-01",
          "2023-07-01",
          "2022-09-01",
          "2021-04-01",
          "2021-01-01",
          "2020-10-01",
          "2020-06-01",
          "2019-10-01",
          "2019-08-01",
          "2019-07-01",
          "2019-05-10",
          "2018-05-01");

  public static final List<String> SUBSCRIPTIONS =
      List.of(
          "2022-12-01",
          "2022-09-01",
          "2021-01-01",
          "2020-01-01",
          "2019-11-01",
          "2019-06-01",
          "2018-06-01",
          "2016-06-01");

  public static final List<String> CONTAINER_SERVICE =
      List.of(
          // az 2.91.0, which .ci/run pins, sends this one on every aks command.
          "2026-06-01",
          "2025-10-01",
          "2025-09-01",
          "2025-08-01",
          "2025-07-01",
          "2025-06-01",
          "2025-05-01",
          "2025-04-01",
          "2025-03-01",
          "2025-02-01",
          "2025-01-01",
          "2024-10-01",
          "2024-09-01",
          "2024-08-01",
          "2024-07-01",
          "2024-06-01",
          "2024-05-01",
          "2024-02-01",
          "2024-01-01",
          "2023-11-01",
          "2023-10-01");

  public static final List<String> COMPUTE =
      List.of(
          "2025-04-01",
          "2024-11-01",
          "2024-07-01",
          "2024-03-01",
          "2023-09-01",
          "2023-07-01",
          "2023-03-01",
          "2022-11-01",
          "2022-08-01",
          "2022-03-01",
          "2021-11-01",
          "2021-07-01",
          "2021-03-01");

  /** Resource SKUs has versions of its own. */
  public static final List<String> COMPUTE_SKUS =
      List.of("2021-07-01", "2021-03-01", "2019-04-01", "2017-09-01");

  /** Where each provider's type is checked, for the error's wording. */
  private static final Map<List<String>, String> TYPES =
      Map.of(
          CONTAINER_SERVICE, "managedClusters",
          COMPUTE, "locations/usages",
          COMPUTE_SKUS, "skus");

  /** Throws ARM's error when {@code version} is missing or not among {@code accepted}. */
  public static void check(String version, List<String> accepted, String location) {
    if (version == null || version.isEmpty()) {
      throw new ArmError(
          400,
          "MissingApiVersionParameter",
          "The api-version query parameter (?api-version=) is required for all requests.");
    }
    if (accepted.contains(version)) {
      return;
    }
    String supported = String.join(", ", accepted);
    String type = TYPES.get(accepted);
    if (type == null) {
      throw new ArmError(
          400,
          "InvalidApiVersionParameter",
          "The api-version '"
              + version
              + "' is invalid. The supported versions are '"
              + supported
              + "'. Please see https://aka.ms/resource-manager-api-versions for more details.");
    }
    throw new ArmError(
        400,
        "NoRegisteredProviderFound",
        "No registered resource provider found for location '"
            + (location == null ? "global" : location)
            + "' and API version '"
            + version
            + "' for type '"
            + type
            + "'. The supported api-versions are '"
            + supported
            + "'. The supported locations are '"
            + String.join(", ", AzureRegions.ALL)
            + "'.");
  }
}
