package dev.ridley.server.cli;

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
    int code = new CommandLine(new RidleyCli()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
