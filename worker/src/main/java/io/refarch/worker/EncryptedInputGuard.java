package io.refarch.worker;

import io.refarch.codec.AesGcmPayloadCodec;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.payload.context.SerializationContext;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.lang.reflect.Type;
import java.util.Optional;

/**
 * With {@code refarch.codec.require-encrypted-input}, a run whose input arrived in plain text (a
 * client without the codec, e.g. {@code temporal workflow start} without {@code --codec-endpoint})
 * fails at its first workflow task, instead of the worker carrying on with a spec the server stores
 * readable.
 *
 * <p>By the time a workflow interceptor sees the input it is already decrypted, so the check has
 * two halves: the data converter notes, on the workflow thread, whether the arguments it converts
 * came encrypted; the interceptor, called next on that same thread with those arguments, fails the
 * run when they did not. The SDK converts a run's input immediately before it calls the
 * interceptors' {@code execute}, and the note is rewritten on every conversion, so it always
 * describes that input. Replays see the same input, hence the same outcome.
 */
final class EncryptedInputGuard {
  static final String FAILURE_TYPE = "UnencryptedInput";
  static final String SETTING =
      "refarch.codec.require-encrypted-input (REFARCH_CODEC_REQUIRE_ENCRYPTED_INPUT)";

  private static final ThreadLocal<Boolean> LAST_ARGUMENTS_PLAIN = new ThreadLocal<>();

  private EncryptedInputGuard() {}

  /** The message of the failure; it names the fix and nothing of the input. */
  static String message() {
    return "this worker requires encrypted workflow inputs ("
        + SETTING
        + "), but this run's input arrived in plain text, so the server stores it readable: start"
        + " runs through the codec, e.g. temporal workflow start ... --codec-endpoint"
        + " http://WORKER:8082/codec --codec-auth \"Bearer $TOKEN\", or refarch with"
        + " REFARCH_CODEC_KEY_FILE set; consider deleting this run's history";
  }

  /** Wraps the worker's data converter so that it notes whether arguments arrived encrypted. */
  static DataConverter noting(DataConverter delegate) {
    return new NotingConverter(delegate);
  }

  /** The worker interceptor that fails a run whose input was noted as plain text. */
  static WorkerInterceptorBase interceptor() {
    return new WorkerInterceptorBase() {
      @Override
      public WorkflowInboundCallsInterceptor interceptWorkflow(
          WorkflowInboundCallsInterceptor next) {
        return new WorkflowInboundCallsInterceptorBase(next) {
          @Override
          public WorkflowOutput execute(WorkflowInput input) {
            Boolean plain = LAST_ARGUMENTS_PLAIN.get();
            LAST_ARGUMENTS_PLAIN.remove();
            if (Boolean.TRUE.equals(plain)) {
              throw ApplicationFailure.newNonRetryableFailure(message(), FAILURE_TYPE);
            }
            return super.execute(input);
          }
        };
      }
    };
  }

  static boolean anyPlain(Optional<Payloads> content) {
    if (content.isEmpty()) {
      return false;
    }
    for (Payload p : content.get().getPayloadsList()) {
      var encoding = p.getMetadataMap().get(AesGcmPayloadCodec.METADATA_ENCODING);
      if (encoding == null || !AesGcmPayloadCodec.ENCODING.equals(encoding.toStringUtf8())) {
        return true;
      }
    }
    return false;
  }

  private static final DataConverter READABLE = DefaultDataConverter.newDefaultInstance();

  private static final class NotingConverter implements DataConverter {
    private final DataConverter delegate;

    NotingConverter(DataConverter delegate) {
      this.delegate = delegate;
    }

    @Override
    public Object[] fromPayloads(
        Optional<Payloads> content, Class<?>[] parameterTypes, Type[] genericParameterTypes)
        throws DataConverterException {
      if (WorkflowUnsafe.isWorkflowThread()) {
        LAST_ARGUMENTS_PLAIN.set(anyPlain(content));
      }
      return delegate.fromPayloads(content, parameterTypes, genericParameterTypes);
    }

    @Override
    public DataConverter withContext(SerializationContext context) {
      // The SDK converts a run's input with a copy bound to the run; it must note too.
      return new NotingConverter(delegate.withContext(context));
    }

    @Override
    public <T> Optional<Payload> toPayload(T value) throws DataConverterException {
      return delegate.toPayload(value);
    }

    @Override
    public <T> T fromPayload(Payload payload, Class<T> valueClass, Type valueType)
        throws DataConverterException {
      return delegate.fromPayload(payload, valueClass, valueType);
    }

    @Override
    public Optional<Payloads> toPayloads(Object... values) throws DataConverterException {
      return delegate.toPayloads(values);
    }

    @Override
    public <T> T fromPayloads(
        int index, Optional<Payloads> content, Class<T> valueType, Type valueGenericType)
        throws DataConverterException {
      return delegate.fromPayloads(index, content, valueType, valueGenericType);
    }

    @Override
    public RuntimeException failureToException(Failure failure) {
      return delegate.failureToException(failure);
    }

    @Override
    public Failure exceptionToFailure(Throwable throwable) {
      // This failure's message holds no secret, only the fix, and whoever started the run without
      // the codec cannot decrypt: it is the one failure stored readable.
      if (throwable instanceof ApplicationFailure f && FAILURE_TYPE.equals(f.getType())) {
        return READABLE.exceptionToFailure(throwable);
      }
      return delegate.exceptionToFailure(throwable);
    }
  }
}
