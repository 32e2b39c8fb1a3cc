package dev.ridley.examples.failover;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ridley.worker.RidleyWorker;
import dev.ridley.worker.TaskContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The workers of the {@code failover} pipeline: stage {@code output-N} sends the message as one
 * JSON line to TCP port N of a list, and succeeds once the receiver answers {@code ok}. Anything
 * else (refused, no answer in time) throws, so the pipeline's routes fail over to the next output,
 * and after the last one park the message until the outputs are back.
 *
 * <p>At least once: a receiver that took the line but whose {@code ok} got lost sees the message
 * again, from another output or a replay.
 */
public final class FailoverWorkers {

  public static final String PIPELINE = "failover";
  /** The demo's ports: output-1 on 9101, output-2 on 9102, output-3 on 9103. */
  public static final List<Integer> DEMO_PORTS = List.of(9101, 9102, 9103);
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private FailoverWorkers() {}

  /** The stage that sends to the n-th output, from 1. */
  public static String stage(int n) {
    return "output-" + n;
  }

  /** Adds one handler per port: {@code output-1} sends to the first port, and so on. */
  public static RidleyWorker.Builder register(RidleyWorker.Builder builder, List<Integer> ports) {
    for (int i = 0; i < ports.size(); i++) {
      int port = ports.get(i);
      builder.handle(stage(i + 1), task -> send(task, port));
    }
    return builder;
  }

  static Object send(TaskContext task, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) TIMEOUT.toMillis());
      s.setSoTimeout((int) TIMEOUT.toMillis());
      OutputStream out = s.getOutputStream();
      out.write((MAPPER.writeValueAsString(task.input()) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
      if (!"ok".equals(answer)) {
        throw new IOException("port " + port + " did not confirm the message (answered " + answer + ")");
      }
    }
    return Map.of("deliveredTo", task.stage(), "port", port);
  }
}
