package io.refarch.activities.kubernetes.calico;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether Calico is up, as the tigera operator reports it: its {@code TigeraStatus} named calico
 * with condition Available. Asked only where the cluster can say so: the seed's {@code
 * Installation} exists (refarch installed Calico) and the API serves TigeraStatus (the operator's
 * CRDs are there). The operator cannot report Available before nodes run Calico, so the node check
 * asks it, after the node groups.
 */
public final class CalicoStatus {
  static final String NAME = "calico";

  public static final ResourceDefinitionContext CONTEXT =
      new ResourceDefinitionContext.Builder()
          .withGroup("operator.tigera.io")
          .withVersion("v1")
          .withKind("TigeraStatus")
          .withPlural("tigerastatuses")
          .withNamespaced(false)
          .build();

  private CalicoStatus() {}

  /**
   * Why Calico is not Available yet (e.g. "the tigera operator reports calico Progressing: ..."),
   * or empty when it is, or when the cluster cannot say.
   */
  public static Optional<String> notAvailable(KubernetesClient client) {
    if (client
            .genericKubernetesResources(CalicoInstallation.CONTEXT)
            .withName(CalicoInstallation.NAME)
            .get()
        == null) {
      return Optional.empty(); // no Calico of refarch's here (GKE, or an EKS run before Calico)
    }
    APIResourceList served = client.getApiResources("operator.tigera.io/v1");
    if (served == null
        || served.getResources().stream().noneMatch(r -> r.getName().equals("tigerastatuses"))) {
      return Optional.empty(); // an operator manifest without TigeraStatus: nothing reports
    }
    GenericKubernetesResource status =
        client.genericKubernetesResources(CONTEXT).withName(NAME).get();
    if (status == null) {
      return Optional.of("Calico: the tigera operator has not reported TigeraStatus calico yet");
    }
    Object conditions =
        status.getAdditionalProperties().get("status") instanceof Map<?, ?> s
            ? s.get("conditions")
            : null;
    String notAvailable = "Calico: TigeraStatus calico is not Available";
    if (conditions instanceof List<?> list) {
      for (Object c : list) {
        if (c instanceof Map<?, ?> condition && "Available".equals(condition.get("type"))) {
          if ("True".equals(condition.get("status"))) {
            return Optional.empty();
          }
          Object message = condition.get("message");
          return Optional.of(
              notAvailable
                  + (condition.get("reason") != null ? " (" + condition.get("reason") + ")" : "")
                  + (message != null && !message.toString().isBlank() ? ": " + message : ""));
        }
      }
    }
    return Optional.of(notAvailable);
  }
}
