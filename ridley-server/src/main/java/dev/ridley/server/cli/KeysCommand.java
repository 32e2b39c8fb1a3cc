package dev.ridley.server.cli;

import dev.ridley.server.auth.ApiKeys;
import dev.ridley.server.auth.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ridley keys new NAME --role ROLE}: a fresh API key and the entry for RIDLEY_AUTH_FILE. */
@Command(
    name = "keys",
    description = "API keys for RIDLEY_AUTH_FILE.",
    mixinStandardHelpOptions = true,
    subcommands = {KeysCommand.New.class})
final class KeysCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "new", mixinStandardHelpOptions = true,
      description = {"Print a fresh random key and the YAML entry to paste under 'keys:' in RIDLEY_AUTH_FILE.",
          "The file keeps only the key's SHA-256; give the key to its holder and keep it nowhere else."})
  static final class New implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The principal: a client's name is the user of its processes.")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE",
        description = "client, worker, operator, admin or metrics; repeat for several.")
    List<String> roles = new ArrayList<>();

    @Option(names = "--stage", paramLabel = "STAGE", description = "For a worker: a stage it may poll; repeat. Default: all.")
    List<String> stages = new ArrayList<>();

    @Option(names = "--on-behalf-of", description = "May start processes for another user (a front end).")
    boolean onBehalfOf;

    @Override
    public Integer call() {
      if (name.isBlank() || !name.matches("[^\\s:#'\"{}\\[\\],&*!|>%@`]+")) {
        throw new ParameterException(spec.commandLine(), "NAME '" + name + "' must be one word without YAML"
            + " punctuation, e.g. shop-frontend");
      }
      List<Role> parsed = new ArrayList<>();
      for (String r : roles) {
        parsed.add(Role.of(r).orElseThrow(() -> new ParameterException(spec.commandLine(),
            "unknown role '" + r + "'; roles: " + Role.names())));
      }
      String key = ApiKeys.newKey();
      StringBuilder entry = new StringBuilder(ApiKeys.entry(name, key, parsed));
      if (!stages.isEmpty()) entry.append("    stages: [").append(String.join(", ", stages)).append("]\n");
      if (onBehalfOf) entry.append("    onBehalfOf: true\n");
      System.out.println("key: " + key);
      System.out.println();
      System.out.println("# under 'keys:' in RIDLEY_AUTH_FILE:");
      System.out.print(entry);
      return 0;
    }
  }
}
