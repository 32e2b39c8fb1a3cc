package dev.ridley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The soak's samples as an SVG file: five small panels stacked against time (throughput, start-to-
 * terminal p50 and p99, size of each hot table, dead rows of each, the server's resident memory),
 * each with its axes, ticks and a legend. Flat lines are what a soak with retention should show.
 * Written by hand, a few polylines per panel, so the bench needs no charting library. A latency of
 * NaN (nothing ended in that interval) is left out of its line.
 */
final class SoakPlot {

  /** One sample of the soak; per-table maps are keyed by table name, in the same order each time. */
  record Point(
      double tS,
      double throughputPerS,
      double p50Ms,
      double p99Ms,
      double rssMb,
      Map<String, Double> tableMb,
      Map<String, Long> deadRows) {}

  private record Series(String name, String color, ToDoubleFunction<Point> value) {}

  private record Panel(String title, String unit, List<Series> series) {}

  static final int WIDTH = 900;
  static final int PANEL_HEIGHT = 180;
  private static final int LEFT = 80;
  private static final int RIGHT = 170;
  private static final int TOP = 50;
  private static final int GAP = 50;
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

  private SoakPlot() {}

  /** Writes the plot of {@code points} to {@code file}, creating its folder if needed. */
  static void write(Path file, String title, List<Point> points) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) Files.createDirectories(dir);
    Files.writeString(file, svg(title, points));
  }

  static String svg(String title, List<Point> points) {
    List<Panel> panels = panels(points);
    int height = TOP + panels.size() * (PANEL_HEIGHT + GAP);
    StringBuilder b = new StringBuilder();
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    b.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
            + " font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height, WIDTH, height));
    b.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
        LEFT, escape(title)));
    double tMax = points.stream().mapToDouble(Point::tS).max().orElse(0);
    Axis time = Axis.of(0, tMax).endingAt(tMax); // the run's own length, not a rounder one
    for (int i = 0; i < panels.size(); i++) {
      panel(b, panels.get(i), points, time, TOP + i * (PANEL_HEIGHT + GAP));
    }
    b.append("</svg>\n");
    return b.toString();
  }

  private static List<Panel> panels(List<Point> points) {
    List<String> tables = points.isEmpty() ? List.of() : new ArrayList<>(points.getFirst().tableMb().keySet());
    List<Series> sizes = new ArrayList<>();
    List<Series> dead = new ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      String t = tables.get(i);
      sizes.add(new Series(t, COLORS[i % COLORS.length], p -> p.tableMb().getOrDefault(t, 0.0)));
      dead.add(new Series(t, COLORS[i % COLORS.length], p -> p.deadRows().getOrDefault(t, 0L)));
    }
    return List.of(
        new Panel("Throughput: processes ended per second", "processes/s",
            List.of(new Series("ended/s", COLORS[0], Point::throughputPerS))),
        new Panel("Start to terminal, processes ended in the interval", "ms",
            List.of(new Series("p50", COLORS[0], Point::p50Ms), new Series("p99", COLORS[1], Point::p99Ms))),
        new Panel("Table size, heap and indexes", "MB", sizes),
        new Panel("Dead rows", "rows", dead),
        new Panel("Server resident memory (RSS)", "MB", List.of(new Series("RSS", COLORS[0], Point::rssMb))));
  }

  private static void panel(StringBuilder b, Panel panel, List<Point> points, Axis time, int top) {
    int w = WIDTH - LEFT - RIGHT;
    int bottom = top + PANEL_HEIGHT;
    double max = 0;
    for (Series s : panel.series()) {
      for (Point p : points) {
        double v = s.value().applyAsDouble(p);
        if (!Double.isNaN(v)) max = Math.max(max, v);
      }
    }
    Axis y = Axis.of(0, max);
    b.append(String.format(Locale.ROOT, "<g class=\"panel\" data-title=\"%s\">%n", escape(panel.title())));
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text>%n",
        LEFT, top - 8, escape(panel.title())));
    // Grid and ticks of the value axis.
    for (double v : y.ticks()) {
      double py = bottom - y.scale(v) * PANEL_HEIGHT;
      b.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>"
              + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
          LEFT, py, LEFT + w, py, LEFT - 6, py + 4, label(v)));
    }
    // Ticks of the time axis.
    for (double t : time.ticks()) {
      double px = LEFT + time.scale(t) * w;
      b.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>"
              + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
          px, bottom, px, bottom + 4, px, bottom + 16, label(t)));
    }
    b.append(String.format(Locale.ROOT,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>"
            + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
        LEFT, top, LEFT, bottom, LEFT, bottom, LEFT + w, bottom));
    b.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time, s</text>%n", LEFT + w / 2, bottom + 30));
    b.append(String.format(Locale.ROOT,
        "<text transform=\"translate(%d,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>%n",
        16, top + PANEL_HEIGHT / 2, escape(panel.unit())));
    for (int i = 0; i < panel.series().size(); i++) {
      Series s = panel.series().get(i);
      StringBuilder coords = new StringBuilder();
      for (Point p : points) {
        double v = s.value().applyAsDouble(p);
        if (Double.isNaN(v)) continue; // an interval in which nothing ended has no latency
        double px = LEFT + time.scale(p.tS()) * w;
        double py = bottom - y.scale(v) * PANEL_HEIGHT;
        if (!coords.isEmpty()) coords.append(' ');
        coords.append(String.format(Locale.ROOT, "%.1f,%.1f", px, py));
      }
      b.append(String.format(Locale.ROOT,
          "<polyline data-series=\"%s\" points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n",
          escape(s.name()), coords, s.color()));
      int ly = top + 12 + i * 16;
      b.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>"
              + "<text x=\"%d\" y=\"%d\">%s</text>%n",
          LEFT + w + 12, ly, LEFT + w + 32, ly, s.color(), LEFT + w + 38, ly + 4, escape(s.name())));
    }
    b.append("</g>\n");
  }

  /** A linear axis from {@code min} to a rounded maximum, with about five ticks. */
  private record Axis(double min, double max, double step) {

    static Axis of(double min, double max) {
      if (!(max > min)) max = min + 1;
      double raw = (max - min) / 5;
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double step = magnitude;
      for (double m : new double[] {1, 2, 5, 10}) {
        step = m * magnitude;
        if (step >= raw) break;
      }
      return new Axis(min, min + Math.ceil((max - min) / step) * step, step);
    }

    /** The same ticks, the axis cut at {@code end} (when the data fill less than the last step). */
    Axis endingAt(double end) {
      return end > min && end < max ? new Axis(min, end, step) : this;
    }

    double scale(double v) {
      return (v - min) / (max - min);
    }

    List<Double> ticks() {
      List<Double> out = new ArrayList<>();
      for (int i = 0; min + i * step <= max + step / 1e6; i++) out.add(min + i * step);
      return out;
    }
  }

  private static String label(double v) {
    if (v == Math.rint(v)) return String.format(Locale.ROOT, "%,d", (long) v);
    return String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** The per-table figures of one sample, keyed by table, in {@link TableStats#HOT_TABLES} order. */
  static Map<String, Double> sizesMb(List<TableStats> tables) {
    Map<String, Double> out = new LinkedHashMap<>();
    tables.forEach(t -> out.put(t.table(), t.totalBytes() / 1048576.0));
    return out;
  }

  static Map<String, Long> deadRows(List<TableStats> tables) {
    Map<String, Long> out = new LinkedHashMap<>();
    tables.forEach(t -> out.put(t.table(), t.deadRows()));
    return out;
  }
}
