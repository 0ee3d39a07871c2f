package io.refarch.activities.gke.operation;

import com.google.container.v1.Operation;

/** The one call the waiter needs: read a GKE operation by its full name. */
public interface Operations {
  Operation get(String operationName);
}
