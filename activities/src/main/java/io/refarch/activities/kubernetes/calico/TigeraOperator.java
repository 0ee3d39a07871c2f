package io.refarch.activities.kubernetes.calico;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code kubectl create -f tigera-operator.yaml}, made repeatable: each object is created, or
 * updated when present. (Server-side apply would do, but the test API server cannot.)
 */
public final class TigeraOperator {
  private TigeraOperator() {}

  public static List<HasMetadata> objects(KubernetesClient client, byte[] manifest) {
    return client.load(new ByteArrayInputStream(manifest)).items();
  }

  public static void ensure(KubernetesClient client, byte[] manifest) {
    for (HasMetadata object : objects(client, manifest)) {
      client.resource(object).createOr(NonDeletingOperation::update);
    }
  }

  /** In reverse order, so the namespace and CRDs go last; objects already gone are fine. */
  public static void delete(KubernetesClient client, byte[] manifest) {
    List<HasMetadata> objects = new ArrayList<>(objects(client, manifest));
    Collections.reverse(objects);
    for (HasMetadata object : objects) {
      client.resource(object).delete();
    }
  }
}
