package io.refarch.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads spec YAML; rejects unknown keys (with a did-you-mean) and wrong types, all at once. An
 * eksctl ClusterConfig (apiVersion eksctl.io/v1alpha5) is read too, by {@link EksctlClusterConfig},
 * so every command that takes a spec takes the seed's gitpod-cluster.yaml.
 */
public final class SpecLoader {

  private static final YAMLMapper WRITER =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  private SpecLoader() {}

  /** Reads a spec file; every problem message names the file or the field. */
  public static ClusterSpec read(Path file) throws SpecException {
    return readDocument(file).spec();
  }

  /**
   * A spec as read from its file, before defaults, and how to name a field of it the way the file
   * does: an eksctl ClusterConfig says managedNodeGroups[0].minSize where the spec says
   * nodePools[0].minNodes.
   */
  record Document(ClusterSpec spec, UnaryOperator<String> problemPath) {
    static Document of(ClusterSpec spec) {
      return new Document(spec, UnaryOperator.identity());
    }
  }

  /** Reads a refarch spec or an eksctl ClusterConfig, told apart by apiVersion. */
  static Document readDocument(Path file) throws SpecException {
    String text;
    try {
      if (Files.isDirectory(file)) {
        throw new SpecException(List.of(file + ": is a directory, not a spec file"));
      }
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new SpecException(List.of(file + ": no such file"));
    } catch (AccessDeniedException e) {
      throw new SpecException(List.of(file + ": cannot be read (permission denied)"));
    } catch (CharacterCodingException e) {
      throw new SpecException(List.of(file + ": is not UTF-8 text"));
    } catch (IOException e) {
      throw new SpecException(List.of(file + ": cannot be read (" + e.getMessage() + ")"));
    }
    return parse(text, file + ": ");
  }

  /** Parses spec YAML; throws with every unknown key, wrong type and syntax error found. */
  public static ClusterSpec parse(String yaml) throws SpecException {
    return parse(yaml, "").spec();
  }

  /** The spec as YAML (what {@code refarch plan} prints); {@link #parse} reads it back equal. */
  public static String toYaml(ClusterSpec spec) {
    try {
      return WRITER.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** As {@link #parse(String)}, with the paths the text wrote for the validator's problems. */
  static Document parseDocument(String yaml) throws SpecException {
    return parse(yaml, "");
  }

  private static Document parse(String yaml, String where) throws SpecException {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(true); // reported by the binder, with their path
      root = new Yaml(new SafeConstructor(options)).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String at =
          mark == null
              ? ""
              : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      throw new SpecException(List.of(where + at + "not valid YAML: " + problem));
    } catch (YAMLException e) {
      throw new SpecException(List.of(where + "not valid YAML: " + e.getMessage()));
    }
    if (root == null) {
      throw new SpecException(List.of(where + "the spec is empty"));
    }
    if (!(root instanceof MappingNode mapping)) {
      throw new SpecException(
          List.of(where + "expected a mapping of spec fields at the top level"));
    }
    if (EksctlClusterConfig.isEksctl(mapping)) {
      EksctlClusterConfig.Translation eksctl = EksctlClusterConfig.translate(mapping);
      return new Document(eksctl.spec(), eksctl.problemPath()::apply);
    }
    // Another format would drown in unknown keys; say only this.
    List<String> header = new ArrayList<>();
    checkHeader(mapping, "apiVersion", ClusterSpec.API_VERSION, header);
    checkHeader(mapping, "kind", ClusterSpec.KIND, header);
    if (!header.isEmpty()) {
      throw new SpecException(header);
    }
    SpecBinder binder = new SpecBinder();
    ClusterSpec spec = binder.bindRoot(root, ClusterSpec.class);
    if (!binder.problems().isEmpty()) {
      throw new SpecException(binder.problems());
    }
    return Document.of(spec);
  }

  private static void checkHeader(
      MappingNode root, String key, String required, List<String> problems) {
    for (NodeTuple tuple : root.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        if (!(tuple.getValueNode() instanceof ScalarNode v) || !v.getValue().equals(required)) {
          problems.add(key + ": must be " + required);
        }
        return;
      }
    }
  }
}
