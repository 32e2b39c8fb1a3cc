package dev.ridley.examples.crossprocess;

import dev.ridley.worker.trace.EliotLog;
import java.net.URI;
import java.nio.file.Path;

/**
 * Runs the {@link DivideClient}: {@code DivideClientMain [--service URL] [--log FILE] X Y}.
 * Prints the quotient, or the service's error (exit 1). Without --log, Eliot messages go to
 * stdout; the service defaults to http://127.0.0.1:8089.
 */
public final class DivideClientMain {

  private DivideClientMain() {}

  public static void main(String[] args) throws Exception {
    String service = "http://127.0.0.1:8089";
    String file = null;
    String[] xy = new String[2];
    int n = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--service" -> service = args[++i];
        case "--log" -> file = args[++i];
        default -> {
          if (n == 2) usage("too many arguments");
          xy[n++] = args[i];
        }
      }
    }
    if (n != 2) usage("give X and Y");
    try (EliotLog log = file == null ? EliotLog.toStdout() : EliotLog.toFile(Path.of(file))) {
      System.err.println(xy[0] + " / " + xy[1] + " = " + DivideClient.divide(URI.create(service), log, xy[0], xy[1]));
    } catch (DivideClient.RemoteDivisionException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }

  private static void usage(String why) {
    System.err.println("usage: DivideClientMain [--service URL] [--log FILE] X Y (" + why + ")");
    System.exit(2);
  }
}
