package dev.ridley.engine.tree;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Eliot's file format: one JSON message per line. */
public final class EliotLines {

  /**
   * @param skipped one line per input line that was not an Eliot message ({@code source:line:
   *     why}); logs often mix Eliot messages with other JSON lines, so these are not errors
   */
  public record Read(List<EliotMessage> messages, List<String> skipped) {}

  private EliotLines() {}

  public static Read read(BufferedReader in, String source) throws IOException {
    List<EliotMessage> messages = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    String line;
    int n = 0;
    while ((line = in.readLine()) != null) {
      n++;
      if (line.isBlank()) continue;
      try {
        JsonNode json = TreeMapper.MAPPER.readTree(line);
        messages.add(EliotMessage.of(json));
      } catch (JsonProcessingException e) {
        skipped.add(source + ":" + n + ": not JSON (" + e.getOriginalMessage() + ")");
      } catch (IllegalArgumentException e) {
        skipped.add(source + ":" + n + ": not an Eliot message (" + e.getMessage() + ")");
      }
    }
    return new Read(messages, skipped);
  }

  /** Each message as one line of compact JSON, each line ending with a newline. */
  public static String write(List<EliotMessage> messages) {
    StringBuilder sb = new StringBuilder();
    for (EliotMessage m : messages) {
      sb.append(TreeMapper.write(m.json())).append('\n');
    }
    return sb.toString();
  }
}
