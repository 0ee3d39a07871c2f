package io.refarch.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.refarch.workflow.ProvisionClusterWorkflowImpl;
import io.refarch.workflow.RunIds;
import io.refarch.workflow.RunSearchAttributes;
import io.refarch.workflow.TeardownClusterWorkflowImpl;
import io.refarch.workflow.fakes.FakeCloud;
import io.refarch.workflow.fakes.TestSpecs;
import io.refarch.workflow.fakes.WorkflowHarness;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.payload.codec.PayloadCodecException;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class AesGcmPayloadCodecTest {

  static String key() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  static Payload json(String text) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(text))
        .build();
  }

  @Test
  void roundTripsAndHidesThePlaintext() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(Keyring.parse("k1=" + key(), null));
    Payload plain = json("{\"name\":\"gitpod-secret-name\"}");
    Payload sealed = codec.encode(List.of(plain)).get(0);

    assertThat(sealed.getData().toString(StandardCharsets.ISO_8859_1))
        .doesNotContain("gitpod-secret-name");
    assertThat(sealed.getMetadataOrThrow("encryption-key-id").toStringUtf8()).isEqualTo("k1");
    assertThat(codec.decode(List.of(sealed))).containsExactly(plain);
  }

  @Test
  void aPayloadCannotBeReadWithAnotherKey() {
    Payload sealed =
        new AesGcmPayloadCodec(Keyring.parse("k1=" + key(), null))
            .encode(List.of(json("{}")))
            .get(0);
    AesGcmPayloadCodec other = new AesGcmPayloadCodec(Keyring.parse("k1=" + key(), null));
    assertThatThrownBy(() -> other.decode(List.of(sealed)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("key 'k1' failed authentication");
    AesGcmPayloadCodec missing = new AesGcmPayloadCodec(Keyring.parse("k2=" + key(), null));
    assertThatThrownBy(() -> missing.decode(List.of(sealed)))
        .hasMessageContaining("codec key 'k1'");
  }

  @Test
  void rotationEncryptsWithTheNewKeyAndStillReadsTheOld() {
    String k1 = key();
    String k2 = key();
    Payload old =
        new AesGcmPayloadCodec(Keyring.parse("k1=" + k1, null))
            .encode(List.of(json("\"old\"")))
            .get(0);
    AesGcmPayloadCodec rotated =
        new AesGcmPayloadCodec(Keyring.parse("k1=" + k1 + "\nk2=" + k2, null));
    Payload fresh = rotated.encode(List.of(json("\"new\""))).get(0);

    assertThat(fresh.getMetadataOrThrow("encryption-key-id").toStringUtf8()).isEqualTo("k2");
    assertThat(rotated.decode(List.of(old, fresh)))
        .containsExactly(json("\"old\""), json("\"new\""));
  }

  @Test
  void badKeysAreRejectedNamingTheKey() {
    assertThatThrownBy(() -> Keyring.parse("k1=c2hvcnQ=", null))
        .hasMessage("codec key k1 must be 32 bytes (AES-256), is 5");
    assertThatThrownBy(() -> Keyring.parse("k1=" + key(), "k9"))
        .hasMessage("current codec key id k9 is not among the keys");
    assertThatThrownBy(() -> Keyring.parse("", null)).hasMessage("no codec key given");
  }

  static TestWorkflowEnvironment environment(Keyring keyring) {
    return TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder()
            .setWorkflowClientOptions(
                WorkflowClientOptions.newBuilder()
                    .setDataConverter(PayloadEncryption.dataConverter(keyring))
                    .build())
            .build());
  }

  @Test
  void encryptedHistoryIsUnreadableWithoutTheKeyAndReplaysWithIt() throws Exception {
    Keyring keyring = Keyring.parse("k1=" + key(), null);
    try (TestWorkflowEnvironment env = environment(keyring)) {
      RunSearchAttributes.ALL.forEach(
          k ->
              env.registerSearchAttribute(
                  k.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
      Worker worker = env.newWorker(RunIds.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(
          ProvisionClusterWorkflowImpl.class, TeardownClusterWorkflowImpl.class);
      worker.registerActivitiesImplementations(new FakeCloud().activities().toArray());
      env.start();
      ClusterSpec spec = TestSpecs.gke("codec-cluster-name", false);
      WorkflowClient client = env.getWorkflowClient();
      client
          .newWorkflowStub(ProvisionClusterWorkflow.class, WorkflowHarness.options(spec))
          .provision(spec);

      WorkflowExecutionHistory history = client.fetchHistory(RunIds.workflowId(spec));
      String json = history.toJson(false);
      // The cluster name is in every activity input; none of it may be readable at the server.
      String payloads =
          history.getEvents().stream()
              .filter(e -> e.hasActivityTaskScheduledEventAttributes())
              .map(e -> e.getActivityTaskScheduledEventAttributes().getInput().toString())
              .reduce("", String::concat);
      assertThat(payloads)
          .isNotEmpty()
          .doesNotContain("codec-cluster-name")
          .doesNotContain("gitpod-gke");

      assertThat(json).doesNotContain("codec-cluster-name");

      // Replaying needs the key: a worker decodes the inputs with the same converter.
      try (TestWorkflowEnvironment withKey = environment(keyring)) {
        WorkflowReplayer.replayWorkflowExecution(
            history, withKey, ProvisionClusterWorkflowImpl.class);
      }
      try (TestWorkflowEnvironment keyless = TestWorkflowEnvironment.newInstance()) {
        assertThatThrownBy(
                () ->
                    WorkflowReplayer.replayWorkflowExecution(
                        history, keyless, ProvisionClusterWorkflowImpl.class))
            .hasStackTraceContaining("binary/encrypted");
      }
    }
  }
}
