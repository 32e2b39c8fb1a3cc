package dev.ridley.server.cli;

import dev.ridley.engine.RidleyException;
import java.io.Console;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ridley} command line: server, demo and operator tools. */
@Command(
    name = "ridley",
    mixinStandardHelpOptions = true,
    version = "Ridley 0.1.0",
    description = "Ridley: a durable pipeline engine. No message is lost silently.",
    subcommands = {ServerCommand.class, DemoCommand.class, BenchCommand.class, TreeCommand.class, KeysCommand.class})
public final class RidleyCli implements Runnable {

  /** Chooses the log format; set before anything creates a logger, so Logback reads it at startup. */
  static final String LOG_FORMAT_VARIABLE = "RIDLEY_LOG_FORMAT";

  /** The system property logback.xml reads: the name of the appender, TEXT or JSON. */
  static final String LOG_FORMAT_PROPERTY = "ridley.log.format";

  public static void main(String[] args) {
    // First thing: nothing may log before Logback knows its format.
    try {
      System.setProperty(LOG_FORMAT_PROPERTY, logAppender(System.getenv(LOG_FORMAT_VARIABLE), onTerminal()));
    } catch (IllegalArgumentException e) {
      System.err.println("ridley: " + e.getMessage());
      System.exit(2);
    }
    int code = commandLine().execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * The command line, with Ridley's own errors (bad configuration, a pipeline file with a typo)
   * printed as one clear line instead of a stack trace.
   */
  static CommandLine commandLine() {
    return new CommandLine(new RidleyCli())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          if (e instanceof RidleyException) {
            cmd.getErr().println("ridley: " + e.getMessage());
            return 2;
          }
          throw e;
        });
  }

  /**
   * The appender for {@code RIDLEY_LOG_FORMAT}: {@code text} or {@code json}, any case; unset or
   * blank means text on a terminal and JSON lines otherwise (for log shippers).
   *
   * @throws IllegalArgumentException for any other value, naming the variable
   */
  static String logAppender(String format, boolean terminal) {
    if (format == null || format.isBlank()) return terminal ? "TEXT" : "JSON";
    return switch (format.strip().toLowerCase(Locale.ROOT)) {
      case "text" -> "TEXT";
      case "json" -> "JSON";
      default -> throw new IllegalArgumentException(
          LOG_FORMAT_VARIABLE + " must be text or json, not '" + format.strip() + "'");
    };
  }

  /**
   * Whether stdout is a terminal. From Java 22 on, {@code System.console()} may be non-null with
   * the output redirected; {@code Console.isTerminal()} tells, where the runtime has it.
   */
  private static boolean onTerminal() {
    Console console = System.console();
    if (console == null) return false;
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true; // Java 21: a console is only there on a terminal
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
