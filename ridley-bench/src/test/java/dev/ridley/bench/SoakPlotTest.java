package dev.ridley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The soak's plot, drawn from synthetic samples: a well-formed SVG with one line per series. */
class SoakPlotTest {

  @TempDir Path dir;

  @Test
  void the_plot_is_well_formed_svg_with_a_line_per_series_and_a_point_per_sample() throws Exception {
    List<SoakPlot.Point> points = samples(12);

    Path file = dir.resolve("plots/soak.svg");
    SoakPlot.write(file, "soak <test> & more", points);

    Document svg = parse(Files.readString(file));
    assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
    NodeList lines = svg.getElementsByTagName("polyline");
    Map<String, Integer> pointsPerSeries = new LinkedHashMap<>();
    for (int i = 0; i < lines.getLength(); i++) {
      Element line = (Element) lines.item(i);
      String panel = ((Element) line.getParentNode()).getAttribute("data-title");
      pointsPerSeries.put(panel + "/" + line.getAttribute("data-series"),
          line.getAttribute("points").trim().split(" ").length);
    }
    assertThat(pointsPerSeries).containsOnlyKeys(
        "Throughput: processes ended per second/ended/s",
        "Start to terminal, processes ended in the interval/p50",
        "Start to terminal, processes ended in the interval/p99",
        "Table size, heap and indexes/process", "Table size, heap and indexes/task",
        "Table size, heap and indexes/journal",
        "Dead rows/process", "Dead rows/task", "Dead rows/journal",
        "Server resident memory (RSS)/RSS");
    assertThat(pointsPerSeries.values()).containsOnly(12);
    assertThat(Files.readString(file)).contains("soak &lt;test&gt; &amp; more").contains("time, s");
  }

  @Test
  void a_line_rises_where_its_values_rise_and_spans_the_time_axis() throws Exception {
    Document svg = parse(SoakPlot.svg("soak", samples(5)));

    Element rss = seriesLine(svg, "RSS");
    String[] xy = rss.getAttribute("points").split(" ");
    double[] first = coords(xy[0]);
    double[] last = coords(xy[xy.length - 1]);
    assertThat(last[0]).isGreaterThan(first[0]);
    assertThat(last[1]).as("SVG's y grows downwards: a growing RSS ends higher").isLessThan(first[1]);
  }

  @Test
  void an_interval_in_which_nothing_ended_leaves_a_gap_in_the_latency_lines_only() throws Exception {
    List<SoakPlot.Point> points = new ArrayList<>(samples(4));
    SoakPlot.Point p = points.get(1);
    points.set(1, new SoakPlot.Point(p.tS(), 0, Double.NaN, Double.NaN, p.rssMb(), p.tableMb(), p.deadRows()));

    Document svg = parse(SoakPlot.svg("soak", points));

    assertThat(seriesLine(svg, "p99").getAttribute("points").split(" ")).hasSize(3);
    assertThat(seriesLine(svg, "ended/s").getAttribute("points").split(" ")).hasSize(4);
    assertThat(seriesLine(svg, "p99").getAttribute("points")).doesNotContain("NaN");
  }

  private static List<SoakPlot.Point> samples(int n) {
    List<SoakPlot.Point> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Double> mb = new LinkedHashMap<>();
      Map<String, Long> dead = new LinkedHashMap<>();
      for (String t : TableStats.HOT_TABLES) {
        mb.put(t, 10.0 + i % 3);
        dead.put(t, 100L * (i % 4));
      }
      out.add(new SoakPlot.Point(10.0 * (i + 1), 100 - i % 2, 20 + i, 80 + 3 * i, 300 + 5 * i, mb, dead));
    }
    return out;
  }

  private static Element seriesLine(Document svg, String series) {
    NodeList lines = svg.getElementsByTagName("polyline");
    for (int i = 0; i < lines.getLength(); i++) {
      Element line = (Element) lines.item(i);
      if (line.getAttribute("data-series").equals(series)) return line;
    }
    throw new AssertionError("no line for " + series);
  }

  private static double[] coords(String pair) {
    String[] xy = pair.split(",");
    return new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])};
  }

  private static Document parse(String svg) throws Exception {
    var f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }
}
