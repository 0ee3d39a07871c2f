package io.refarch.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecLoaderTest {

  private static List<String> problems(String yaml) {
    try {
      SpecLoader.parse(yaml);
    } catch (SpecException e) {
      return e.problems();
    }
    throw new AssertionError("expected the spec to be rejected:\n" + yaml);
  }

  @Test
  void unknownKeyInAPoolIsNamedWithItsPathAndTheKeyMeant() {
    String yaml =
        """
        cloud: gcp
        nodePools:
          - name: a
          - name: b
            machinType: n2d-standard-4
        """;
    assertThat(problems(yaml))
        .containsExactly("nodePools[1].machinType: unknown key; did you mean machineType?");
  }

  @ParameterizedTest
  @CsvSource({
    "nodepools, nodePools",
    "kubernetesVerison, kubernetesVersion",
    "version, kubernetesVersion",
    "regoin, region",
  })
  void topLevelTyposAndFamiliarNamesSuggestTheKey(String written, String meant) {
    assertThat(problems(written + ": x\n"))
        .containsExactly(written + ": unknown key; did you mean " + meant + "?");
  }

  @ParameterizedTest
  @CsvSource({
    "desiredCapacity, initialNodes",
    "minSize, minNodes",
    "instanceType, machineType",
    "volumeSize, diskSizeGb",
    "maxPodsPerNode, maxPods",
  })
  void eksctlNamesInAPoolSuggestOurs(String eksctl, String ours) {
    assertThat(problems("nodePools:\n  - " + eksctl + ": 1\n"))
        .containsExactly("nodePools[0]." + eksctl + ": unknown key; did you mean " + ours + "?");
  }

  @Test
  void theNodePoolsAccountIsBoundAndATypoOfItIsNamed() throws SpecException {
    assertThat(
            SpecLoader.parse("cloud: gcp\ngcp:\n  nodePoolServiceAccount: gitpod-gke\n")
                .gcp()
                .nodePoolServiceAccount())
        .isEqualTo("gitpod-gke");
    assertThat(problems("gcp:\n  nodePoolsServiceAccount: gitpod-gke\n"))
        .containsExactly(
            "gcp.nodePoolsServiceAccount: unknown key; did you mean nodePoolServiceAccount?");
  }

  @Test
  void anUnknownKeyFarFromEveryKeyListsTheAllowedOnes() {
    assertThat(problems("network:\n  colour: blue\n"))
        .containsExactly(
            "network.colour: unknown key; expected one of subnetwork, vpcCidr, nat, networkPolicy, privateAccess, publicAccess, publicAccessCidrs");
  }

  @Test
  void wrongTypesNameThePathTheExpectedTypeAndTheValue() {
    String yaml =
        """
        keepOnFailure: yes
        zones: us-central1-a
        network: none
        nodePools:
          - name: [a, b]
            minNodes: one
            maxNodes: 1.5
            labels: [gitpod.io/workload_meta]
        """;
    assertThat(problems(yaml))
        .containsExactly(
            "keepOnFailure: expected true or false, got \"yes\"",
            "zones: expected a list, got \"us-central1-a\"",
            "network: expected a mapping, got \"none\"",
            "nodePools[0].name: expected a string, got a list",
            "nodePools[0].minNodes: expected an integer, got \"one\"",
            "nodePools[0].maxNodes: expected an integer, got \"1.5\"",
            "nodePools[0].labels: expected a mapping, got a list");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String yaml =
        """
        cloud: gce
        nodePools:
          - name: services
            minNodes: one
            diskSizeGB: 100
        """;
    assertThat(problems(yaml))
        .containsExactly(
            "cloud: must be one of gcp, aws, azure",
            "nodePools[0].minNodes: expected an integer, got \"one\"",
            "nodePools[0].diskSizeGB: unknown key; did you mean diskSizeGb?");
  }

  @Test
  void aDuplicateKeyIsAProblemNotASilentOverride() {
    assertThat(problems("name: a\nname: b\n")).containsExactly("name: duplicate key");
  }

  @Test
  void anEmptyListEntryOrLabelValueIsNamed() {
    String yaml =
        """
        zones: [us-central1-a, ~]
        nodePools:
          - labels:
              gitpod.io/workload_meta:
        """;
    assertThat(problems(yaml))
        .containsExactly(
            "zones[1]: expected a string, got nothing",
            "nodePools[0].labels[\"gitpod.io/workload_meta\"]: expected a string, got nothing (write \"\" for empty)");
  }

  @Test
  void scalarsReadAsStringsKeepTheirText() throws SpecException {
    ClusterSpec spec =
        SpecLoader.parse(
            """
            kubernetesVersion: 1.20
            aws:
              account: 012345678901
            nodePools:
              - labels:
                  gitpod.io/workload_meta: true
            """);
    // YAML would make these the number 1.2, the octal-looking 12345678901 and a boolean.
    assertThat(spec.kubernetesVersion()).isEqualTo("1.20");
    assertThat(spec.aws().account()).isEqualTo("012345678901");
    assertThat(spec.nodePools().get(0).labels()).containsEntry(Labels.META, "true");
  }

  @Test
  void absentApiVersionAndKindAreAccepted() throws SpecException {
    ClusterSpec spec = SpecLoader.parse("cloud: gcp\n");
    assertThat(spec.apiVersion()).isNull();
    assertThat(SpecDefaults.apply(spec).apiVersion()).isEqualTo("refarch.io/v1alpha1");
    assertThat(SpecDefaults.apply(spec).kind()).isEqualTo("ClusterSpec");
  }

  @Test
  void anotherFormatIsRejectedByItsHeaderAlone() {
    String deployment =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: gitpod
        spec: {}
        """;
    assertThat(problems(deployment))
        .containsExactly("apiVersion: must be refarch.io/v1alpha1", "kind: must be ClusterSpec");
  }

  @Test
  void anEksctlVersionOtherThanV1alpha5IsRejectedByItsHeaderAlone() {
    String eksctl =
        """
        apiVersion: eksctl.io/v1alpha4
        kind: ClusterConfig
        metadata:
          name: gitpod
        nodeGroups: []
        """;
    assertThat(problems(eksctl))
        .containsExactly(
            "apiVersion: eksctl.io/v1alpha4 is not read by refarch; write eksctl.io/v1alpha5"
                + " (eksctl's ClusterConfig) or refarch.io/v1alpha1 (refarch's ClusterSpec)");
  }

  @Test
  void syntaxErrorsGiveLineAndColumn() {
    assertThat(problems("name: gitpod\nregion: [us-central1\n"))
        .singleElement()
        .asString()
        .startsWith("line 3, column 1: not valid YAML: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "# only a comment\n"})
  void anEmptySpecIsNamed(String yaml) {
    assertThat(problems(yaml)).containsExactly("the spec is empty");
  }

  @Test
  void aListAtTheTopLevelIsNotASpec() {
    assertThat(problems("- cloud: gcp\n"))
        .containsExactly("expected a mapping of spec fields at the top level");
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> SpecLoader.read(missing))
        .isInstanceOf(SpecException.class)
        .hasMessage(missing + ": no such file");
  }

  @Test
  void aDirectoryIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> SpecLoader.read(dir))
        .isInstanceOf(SpecException.class)
        .hasMessage(dir + ": is a directory, not a spec file");
  }

  @Test
  void aFileThatIsNotUtf8IsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xE9, '\n'});
    assertThatThrownBy(() -> SpecLoader.read(file))
        .isInstanceOf(SpecException.class)
        .hasMessage(file + ": is not UTF-8 text");
  }

  @Test
  void syntaxErrorsInAFileNameTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "name: [\n");
    assertThatThrownBy(() -> SpecLoader.read(file))
        .isInstanceOf(SpecException.class)
        .hasMessageStartingWith(file + ": line ");
  }

  @Test
  void theYamlOfAFullyDefaultedSpecReadsBackEqual() throws SpecException {
    for (String preset : List.of("gke.yaml", "gke-two-pools.yaml", "eks.yaml", "aks.yaml")) {
      ClusterSpec spec = Specs.load(PresetFiles.path(preset));
      String yaml = SpecLoader.toYaml(spec);
      assertThat(SpecLoader.parse(yaml)).as(preset + ":\n" + yaml).isEqualTo(spec);
    }
  }

  @Test
  void theYamlOfASparseSpecLeavesOutWhatIsUnset() throws SpecException {
    ClusterSpec spec = SpecLoader.parse("cloud: aws\nname: gitpod\nkubernetesVersion: \"1.22\"\n");
    String yaml = SpecLoader.toYaml(spec);
    assertThat(yaml).isEqualTo("cloud: aws\nname: gitpod\nkubernetesVersion: \"1.22\"\n");
    assertThat(SpecLoader.parse(yaml)).isEqualTo(spec);
  }
}
