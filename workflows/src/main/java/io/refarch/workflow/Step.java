package io.refarch.workflow;

/**
 * One step of a procedure: a title as the seed would say it, the resource it touches (how outcomes
 * and teardowns name it), and the request it sends, for {@code refarch plan}.
 */
public record Step(String title, String resource, String request) {

  public static Step of(String title, String resource, String request) {
    return new Step(title, resource, request);
  }
}
