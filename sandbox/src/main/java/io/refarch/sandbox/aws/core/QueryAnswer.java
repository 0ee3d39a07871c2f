package io.refarch.sandbox.aws.core;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * The answer of a Query service (IAM, STS, Auto Scaling): {@code <ActionResponse
 * xmlns=...><ActionResult>...</ActionResult><ResponseMetadata><RequestId>}. The SDK reads the
 * members inside the result wrapper its model names ({@code ActionResult}); lists are {@code
 * <Name><member>...</member></Name>}.
 */
public final class QueryAnswer {

  private QueryAnswer() {}

  /** An answer with a result. */
  public static String of(String action, String xmlns, Consumer<XmlWriter> result) {
    XmlWriter x = new XmlWriter().declaration().start(action + "Response", xmlns);
    if (result != null) {
      x.start(action + "Result");
      result.accept(x);
      x.end();
    }
    x.start("ResponseMetadata").leaf("RequestId", UUID.randomUUID().toString()).end();
    return x.end().toString();
  }

  /** An answer without a result, e.g. to DeleteRole. */
  public static String empty(String action, String xmlns) {
    return of(action, xmlns, null);
  }
}
