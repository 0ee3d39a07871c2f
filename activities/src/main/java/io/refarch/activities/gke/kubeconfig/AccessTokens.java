package io.refarch.activities.gke.kubeconfig;

/** The bearer token the kubeconfig carries. */
public interface AccessTokens {
  String token();
}
