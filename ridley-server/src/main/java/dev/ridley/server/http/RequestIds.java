package dev.ridley.server.http;

import io.javalin.http.Context;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Puts the id of the process or task a request concerns into the MDC for the request's duration,
 * so every line logged while answering it (an unexpected error's errorId above all) carries a
 * {@code processId} or {@code taskId} field; logs each API request at DEBUG on the way out.
 */
final class RequestIds {

  static final String PROCESS_ID = "processId";
  static final String TASK_ID = "taskId";

  private static final Logger log = LoggerFactory.getLogger(RequestIds.class);
  private static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
  private static final Pattern PROCESS = Pattern.compile("^/api/v1/processes/(" + UUID + ")(/.*)?$");
  private static final Pattern TASK = Pattern.compile("^/api/v1/tasks/(" + UUID + ")/.*$");
  private static final String STARTED = RequestIds.class.getName() + ".started";

  private RequestIds() {}

  static void before(Context ctx) {
    clear();
    ctx.attribute(STARTED, System.nanoTime());
    String path = ctx.path();
    Matcher process = PROCESS.matcher(path);
    if (process.matches()) {
      MDC.put(PROCESS_ID, process.group(1).toLowerCase(java.util.Locale.ROOT));
      return;
    }
    Matcher task = TASK.matcher(path);
    if (task.matches()) {
      MDC.put(TASK_ID, task.group(1).toLowerCase(java.util.Locale.ROOT));
    }
  }

  static void after(Context ctx) {
    try {
      if (log.isDebugEnabled()) {
        Long started = ctx.attribute(STARTED);
        long ms = started == null ? -1 : (System.nanoTime() - started) / 1_000_000;
        log.debug("{} {} answered {} in {} ms", ctx.method(), ctx.path(), ctx.statusCode(), ms);
      }
    } finally {
      clear();
    }
  }

  private static void clear() {
    MDC.remove(PROCESS_ID);
    MDC.remove(TASK_ID);
  }
}
