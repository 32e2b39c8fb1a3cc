package dev.ridley.server.amqp;

import com.rabbitmq.client.Channel;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.Stage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The queues Ridley declares at start, idempotently: a durable quorum queue per amqp stage, {@code
 * ridley.tasks.<pipeline>.<stage>}, and one, {@code ridley.results}, for what workers send back.
 * Everything goes through the default exchange, addressed by queue name.
 */
public final class Topology {

  /** Where workers send started, heartbeat and result messages. */
  public static final String RESULTS = "ridley.results";

  /** Quorum queues: replicated (Raft) on a cluster, and durable. */
  static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");

  private Topology() {}

  /** The queue of a stage's tasks. */
  public static String tasks(String pipeline, String stage) {
    return "ridley.tasks." + pipeline + "." + stage;
  }

  /** The task queues of the amqp stages of these pipelines, in file order. */
  public static List<String> taskQueues(Collection<Pipeline> pipelines) {
    List<String> out = new ArrayList<>();
    for (Pipeline p : pipelines) {
      for (Stage s : p.stages()) {
        if (s.brokered()) out.add(tasks(p.name(), s.name()));
      }
    }
    return out;
  }

  /** Declares the queues; declaring one that exists with the same arguments changes nothing. */
  static void declare(Channel channel, Collection<Pipeline> pipelines) throws IOException {
    channel.queueDeclare(RESULTS, true, false, false, QUORUM);
    for (String queue : taskQueues(pipelines)) {
      channel.queueDeclare(queue, true, false, false, QUORUM);
    }
  }
}
