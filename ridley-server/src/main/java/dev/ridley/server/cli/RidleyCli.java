package dev.ridley.server.cli;

import dev.ridley.engine.RidleyException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ridley} command line: server, demo and operator tools. */
@Command(
    name = "ridley",
    mixinStandardHelpOptions = true,
    version = "Ridley 0.1.0",
    description = "Ridley: a durable pipeline engine. No message is lost silently.",
    subcommands = {ServerCommand.class, DemoCommand.class, BenchCommand.class, TreeCommand.class})
public final class RidleyCli implements Runnable {

  public static void main(String[] args) {
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

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
