package io.refarch.activities.kubernetes.calico;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;

/**
 * The seed's Calico {@code Installation} named default (operator.tigera.io/v1): EKS provider,
 * Calico CNI, BGP off; the tigera operator turns it into the Calico install.
 */
public final class CalicoInstallation {
  public static final String NAME = "default";
  public static final ResourceDefinitionContext CONTEXT =
      new ResourceDefinitionContext.Builder()
          .withGroup("operator.tigera.io")
          .withVersion("v1")
          .withKind("Installation")
          .withPlural("installations")
          .withNamespaced(false)
          .build();

  private CalicoInstallation() {}

  static GenericKubernetesResource wanted() {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("operator.tigera.io/v1")
        .withKind("Installation")
        .withNewMetadata()
        .withName(NAME)
        .endMetadata()
        .withAdditionalProperties(
            Map.of(
                "spec",
                Map.of(
                    "kubernetesProvider", "EKS",
                    "cni", Map.of("type", "Calico"),
                    "calicoNetwork", Map.of("bgp", "Disabled"))))
        .build();
  }

  public static void ensure(KubernetesClient client) {
    client
        .genericKubernetesResources(CONTEXT)
        .resource(wanted())
        .createOr(NonDeletingOperation::update);
  }

  public static void delete(KubernetesClient client) {
    client.genericKubernetesResources(CONTEXT).withName(NAME).delete();
  }
}
