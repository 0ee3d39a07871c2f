package io.refarch.activities.gke.preflight;

import java.io.IOException;

/** serviceusage {@code services.get}: an API's state in a project. */
@FunctionalInterface
public interface ServiceStates {
  /** "ENABLED" or "DISABLED". */
  String state(String project, String service) throws IOException;

  /** Over REST: {@code GET /v1/projects/P/services/NAME}. */
  static ServiceStates rest(GoogleRest serviceUsage) {
    return (project, service) ->
        serviceUsage
            .get("/v1/projects/" + project + "/services/" + service)
            .path("state")
            .asText("STATE_UNSPECIFIED");
  }
}
