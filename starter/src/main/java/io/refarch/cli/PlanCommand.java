package io.refarch.cli;

import io.refarch.spec.ClusterSpec;
import io.refarch.spec.SpecLoader;
import io.refarch.workflow.PlannedStep;
import io.refarch.workflow.Procedures;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.refarch.workflow.RunIds;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Prints the validated spec with every default filled in, and the steps a provisioning run takes, in order,",
      "with the request each sends; then what a teardown deletes. Calls no cloud and no Temporal.",
      "The steps come from the very procedure the workflow runs."
    })
final class PlanCommand implements Callable<Integer> {
  @ParentCommand Refarch root;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "SPEC",
      description = "The cluster spec (YAML): a refarch ClusterSpec or an eksctl ClusterConfig.")
  Path file;

  @Option(
      names = "--json",
      description =
          "Print only the defaulted spec as JSON, exactly as the workflows take it as input "
              + "(for `temporal workflow start --input-file`).")
  boolean json;

  @Option(
      names = "--sandbox",
      description = "Say that the run would go to the sandbox instead of the real cloud.")
  boolean sandbox;

  @Override
  public Integer call() {
    ClusterSpec spec = SpecInput.load(root, file);
    if (spec == null) {
      return ExitCodes.BAD_INPUT;
    }
    PrintWriter out = root.out();
    if (json) {
      byte[] payload =
          DefaultDataConverter.STANDARD_INSTANCE
              .toPayload(spec)
              .orElseThrow()
              .getData()
              .toByteArray();
      out.println(new String(payload, StandardCharsets.UTF_8));
      return ExitCodes.OK;
    }
    List<PlannedStep> steps = Procedures.plan(spec);
    out.println("Spec " + file + " (validated, defaults filled in):");
    out.println();
    out.print(SpecLoader.toYaml(spec));
    out.println();
    out.println(
        "Run: workflow "
            + ProvisionClusterWorkflow.TYPE
            + ", id "
            + RunIds.workflowId(spec)
            + ", task queue "
            + RunIds.TASK_QUEUE);
    out.println("Target: " + target(spec));
    out.println();
    out.println("Steps (" + steps.size() + "), in order:");
    for (PlannedStep s : steps) {
      out.printf("%3d. %s  [%s, %s]%n", s.number(), s.title(), s.resource(), kind(s.kind()));
      out.println("     " + s.request());
    }
    List<PlannedStep> resources =
        steps.stream().filter(s -> s.kind() == PlannedStep.Kind.CREATE).toList();
    out.println();
    out.println(
        "A failed run deletes what it created, last created first. `refarch down` deletes, in this order:");
    for (int i = resources.size() - 1; i >= 0; i--) {
      out.println("  " + resources.get(i).resource());
    }
    return ExitCodes.OK;
  }

  private String target(ClusterSpec spec) {
    if (sandbox) {
      return "the sandbox: an emulated "
          + (spec.cloud() == io.refarch.spec.Cloud.AWS ? "AWS" : "Google Cloud")
          + " in this process (no real cloud is touched)";
    }
    return switch (spec.cloud()) {
      case GCP ->
          "Google Cloud project "
              + spec.owner()
              + ", as the worker's Application Default Credentials";
      case AWS -> "AWS account " + spec.owner() + ", as the worker's default credentials";
      case AZURE -> "Azure subscription " + spec.owner() + ", as the worker's default credentials";
    };
  }

  private static String kind(PlannedStep.Kind kind) {
    return switch (kind) {
      case CREATE -> "created; deleted on failure and by down";
      case CREATE_IN_CLUSTER -> "created in the cluster; deleted on failure, goes with the cluster";
      case PERFORM -> "nothing to undo";
    };
  }
}
