package io.refarch.workflow.kubernetes;

/**
 * Where a worker wrote a cluster's kubeconfig (a 0600 file). Only the path travels through the
 * workflow; the file's content (CA, credentials) never enters history.
 */
public record KubeconfigRef(String path) {}
