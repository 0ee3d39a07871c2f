package io.refarch.activities.gke.kubeconfig;

/** The bearer token the kubeconfig carries. */
public interface AccessTokens {
  String token();

  /** The sandbox's clusters take any non-empty token. */
  static AccessTokens sandbox() {
    return () -> "sandbox";
  }
}
