package io.refarch.cli.watch;

import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns, like kubectl's tables. */
public final class TextTable {
  private final List<String[]> rows = new ArrayList<>();

  public TextTable(String... header) {
    if (header.length > 0) {
      rows.add(header);
    }
  }

  public TextTable row(String... cells) {
    rows.add(cells);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public List<String> lines(String indent) {
    int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], text(row[i]).length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < row.length; i++) {
        line.append(text(row[i]));
        if (i < row.length - 1) {
          line.append(" ".repeat(width[i] - text(row[i]).length() + 2));
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  private static String text(String cell) {
    return cell == null ? "" : cell;
  }
}
