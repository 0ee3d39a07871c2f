package io.refarch.spec;

import java.util.List;

/** The node labels Gitpod schedules by; every one must be on some pool. */
public final class Labels {
  public static final String PREFIX = "gitpod.io/workload_";
  public static final String META = "gitpod.io/workload_meta";
  public static final String IDE = "gitpod.io/workload_ide";
  public static final String WORKSPACE_SERVICES = "gitpod.io/workload_workspace_services";
  public static final String WORKSPACE_REGULAR = "gitpod.io/workload_workspace_regular";
  public static final String WORKSPACE_HEADLESS = "gitpod.io/workload_workspace_headless";

  public static final List<String> REQUIRED =
      List.of(META, IDE, WORKSPACE_SERVICES, WORKSPACE_REGULAR, WORKSPACE_HEADLESS);

  private Labels() {}
}
