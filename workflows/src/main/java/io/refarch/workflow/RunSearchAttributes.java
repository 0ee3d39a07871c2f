package io.refarch.workflow;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/** Search attributes every run carries, so runs can be found by cloud, cluster and current step. */
public final class RunSearchAttributes {
  public static final SearchAttributeKey<String> CLOUD = SearchAttributeKey.forKeyword("RefarchCloud");
  public static final SearchAttributeKey<String> CLUSTER = SearchAttributeKey.forKeyword("RefarchCluster");
  public static final SearchAttributeKey<String> STEP = SearchAttributeKey.forKeyword("RefarchStep");

  public static final List<SearchAttributeKey<String>> ALL = List.of(CLOUD, CLUSTER, STEP);

  private RunSearchAttributes() {}
}
