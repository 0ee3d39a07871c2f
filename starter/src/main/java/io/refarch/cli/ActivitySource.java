package io.refarch.cli;

import io.refarch.activities.ActivityConfig;
import java.util.List;

/**
 * Makes the activity implementations an in-process worker registers (real ones, or fakes in tests).
 */
@FunctionalInterface
public interface ActivitySource {
  List<Object> create(ActivityConfig config);
}
