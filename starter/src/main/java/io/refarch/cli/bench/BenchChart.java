package io.refarch.cli.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/** The report's chart: per tool, the critical path and what the tool adds, in real-time minutes. */
final class BenchChart {
  private BenchChart() {}

  static void write(Path png, BenchReport report) throws IOException {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Map.Entry<String, double[]> e : report.realMinutesByTool().entrySet()) {
      data.addValue(e.getValue()[0], "critical path (cloud operations)", e.getKey());
      data.addValue(e.getValue()[1], "added by the tool", e.getKey());
    }
    JFreeChart chart =
        ChartFactory.createStackedBarChart(
            "GKE, 000 seed's cluster, sandbox latency " + report.latency() + " (in real time)",
            null,
            "minutes",
            data,
            PlotOrientation.HORIZONTAL,
            true,
            false,
            false);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 320);
  }
}
