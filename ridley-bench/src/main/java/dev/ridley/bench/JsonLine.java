package dev.ridley.bench;

import java.util.Locale;
import java.util.Map;

/** The peers' result format: one flat JSON object per line, doubles with three decimals. */
final class JsonLine {

  private JsonLine() {}

  static String of(Map<String, Object> m) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (sb.length() > 1) sb.append(", ");
      sb.append('"').append(e.getKey()).append("\":");
      Object v = e.getValue();
      if (v == null) {
        sb.append("null");
      } else if (v instanceof Double || v instanceof Float) {
        sb.append(String.format(Locale.ROOT, "%.3f", ((Number) v).doubleValue()));
      } else if (v instanceof Number || v instanceof Boolean) {
        sb.append(v);
      } else {
        sb.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
    }
    return sb.append('}').toString();
  }
}
