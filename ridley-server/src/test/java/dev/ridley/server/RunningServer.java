package dev.ridley.server;

import dev.ridley.engine.Engine;
import dev.ridley.server.config.ServerConfig;
import java.net.URI;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server for one test class: started before its first test on a fresh database, stopped
 * after its last. {@code @RegisterExtension static final RunningServer server = new RunningServer();}
 */
public final class RunningServer implements BeforeAllCallback, AfterAllCallback {

  private final Supplier<ServerConfig> config;
  private RidleyServer server;
  private Http http;

  /** The example pipelines of the repository. */
  public RunningServer() {
    this(TestServers::config);
  }

  public RunningServer(Supplier<ServerConfig> config) {
    this.config = config;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = RidleyServer.start(config.get());
    http = new Http(server.uri());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    server.close();
  }

  public RidleyServer server() {
    return server;
  }

  public Engine engine() {
    return server.engine();
  }

  public URI uri() {
    return server.uri();
  }

  /** A plain HTTP client for this server. */
  public Http http() {
    return http;
  }
}
