package io.refarch.sandbox.aws.core;

import java.util.ArrayDeque;
import java.util.Deque;

/** Writes the XML of Query answers: elements and text leaves, escaped, closed in order. */
public final class XmlWriter {

  private final StringBuilder out = new StringBuilder();
  private final Deque<String> open = new ArrayDeque<>();

  public XmlWriter declaration() {
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    return this;
  }

  public XmlWriter start(String name) {
    return start(name, null);
  }

  /** Opens an element with a default namespace (the answer's root). */
  public XmlWriter start(String name, String xmlns) {
    out.append('<').append(name);
    if (xmlns != null) {
      out.append(" xmlns=\"").append(xmlns).append('"');
    }
    out.append('>');
    open.push(name);
    return this;
  }

  /** Closes the innermost open element. */
  public XmlWriter end() {
    out.append("</").append(open.pop()).append('>');
    return this;
  }

  /** A text element; nothing when the value is null, as AWS leaves out what is unset. */
  public XmlWriter leaf(String name, Object value) {
    if (value == null) {
      return this;
    }
    out.append('<').append(name).append('>');
    escape(String.valueOf(value));
    out.append("</").append(name).append('>');
    return this;
  }

  /** Text content needs only these three escaped (no attributes carry values here). */
  private void escape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        default -> out.append(c);
      }
    }
  }

  @Override
  public String toString() {
    if (!open.isEmpty()) {
      throw new IllegalStateException("unclosed elements " + open);
    }
    return out.toString();
  }
}
