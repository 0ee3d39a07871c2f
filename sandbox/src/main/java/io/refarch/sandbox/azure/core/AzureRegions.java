package io.refarch.sandbox.azure.core;

import java.util.List;

/** The regions the sandbox's Azure offers; every one has zones 1, 2 and 3. */
public final class AzureRegions {

  private AzureRegions() {}

  public static final List<String> ALL =
      List.of(
          "eastus",
          "eastus2",
          "westus2",
          "westus3",
          "centralus",
          "northeurope",
          "westeurope",
          "uksouth",
          "germanywestcentral",
          "swedencentral",
          "francecentral",
          "southeastasia",
          "australiaeast",
          "japaneast");

  public static boolean offered(String location) {
    return location != null && ALL.contains(normalize(location));
  }

  /** ARM accepts display names ("West Europe") as well as names. */
  public static String normalize(String location) {
    return location == null ? null : location.replace(" ", "").toLowerCase();
  }
}
