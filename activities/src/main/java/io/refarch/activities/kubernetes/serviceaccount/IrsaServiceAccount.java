package io.refarch.activities.kubernetes.serviceaccount;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

/**
 * An eksctl {@code iam.serviceAccounts} entry, the Kubernetes half: a ServiceAccount annotated with
 * the IAM role its pods assume (IRSA). Its namespace is created if missing, as eksctl does.
 */
public final class IrsaServiceAccount {
  public static final String ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

  private IrsaServiceAccount() {}

  public static void ensure(
      KubernetesClient client, String namespace, String name, String roleArn) {
    if (client.namespaces().withName(namespace).get() == null) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .createOr(NonDeletingOperation::update);
    }
    ServiceAccount existing = client.serviceAccounts().inNamespace(namespace).withName(name).get();
    if (existing == null) {
      client
          .serviceAccounts()
          .inNamespace(namespace)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .addToAnnotations(ROLE_ANNOTATION, roleArn)
                  .endMetadata()
                  .build())
          .create();
      return;
    }
    // The role is ours to set (eksctl overrides it too); the rest of the account is left alone.
    if (existing.getMetadata().getAnnotations() == null
        || !roleArn.equals(existing.getMetadata().getAnnotations().get(ROLE_ANNOTATION))) {
      client
          .serviceAccounts()
          .inNamespace(namespace)
          .withName(name)
          .edit(
              sa ->
                  new ServiceAccountBuilder(sa)
                      .editMetadata()
                      .addToAnnotations(ROLE_ANNOTATION, roleArn)
                      .endMetadata()
                      .build());
    }
  }

  public static void delete(KubernetesClient client, String namespace, String name) {
    client.serviceAccounts().inNamespace(namespace).withName(name).delete();
  }
}
