package dev.ridley.server.cli;

import dev.ridley.engine.RidleyException;
import dev.ridley.server.RidleyServer;
import dev.ridley.server.config.ServerConfig;

/** Starting a server from the command line: bad configuration ends in one clear line, not a trace. */
final class Launch {

  private Launch() {}

  /** The started server, or null after printing why it could not start. */
  static RidleyServer start(ServerConfig config) {
    try {
      return RidleyServer.start(config);
    } catch (RidleyException e) {
      System.err.println("ridley: cannot start: " + e.getMessage());
      return null;
    }
  }
}
