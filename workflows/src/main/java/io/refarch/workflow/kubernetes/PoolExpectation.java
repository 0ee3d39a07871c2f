package io.refarch.workflow.kubernetes;

import java.util.Map;

/** What the node check expects of one pool's nodes. */
public record PoolExpectation(String pool, Map<String, String> labels, int minNodes, int maxPods) {}
