package dev.ridley.examples.failover;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A TCP output on localhost that can be taken down and brought back: it reads one line per
 * connection, keeps it, and answers {@code ok}. While down, nothing listens on its port, so a
 * sender's connect is refused at once, as with a real receiver that is gone.
 */
public final class OutputListener implements AutoCloseable {

  private final String name;
  private final int port;
  private final Consumer<String> onMessage;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private ServerSocket socket;

  /**
   * @param port the port to listen on; 0 picks a free one, kept across down and up
   * @param onMessage also told of each message, e.g. to print it
   */
  public OutputListener(String name, int port, Consumer<String> onMessage) {
    this.name = name;
    this.onMessage = onMessage;
    ServerSocket probe = bind(port); // picks a free port for 0, and fails early when taken
    this.port = probe.getLocalPort();
    closeQuietly(probe);
  }

  public OutputListener(String name, int port) {
    this(name, port, line -> {});
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public synchronized boolean isUp() {
    return socket != null;
  }

  /** Every message this output received, in order, duplicates included. */
  public List<String> received() {
    return List.copyOf(received);
  }

  /** Starts listening; does nothing when already up. */
  public synchronized OutputListener up() {
    if (socket == null) {
      ServerSocket s = bind(port);
      socket = s;
      Thread.ofVirtual().name(name + "-accept").start(() -> accept(s));
    }
    return this;
  }

  /** Stops listening: new connections are refused. */
  public synchronized OutputListener down() {
    if (socket != null) {
      closeQuietly(socket);
      socket = null;
    }
    return this;
  }

  @Override
  public void close() {
    down();
  }

  private ServerSocket bind(int p) {
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true); // come back on the same port right after going down
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("output " + name + " cannot listen on port " + p + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(ServerSocket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing is all we wanted
    }
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Thread.ofVirtual().start(() -> serve(client));
      } catch (IOException e) {
        return; // closed by down()
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      client.setSoTimeout(5_000);
      var in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
      String line = in.readLine();
      if (line == null) return;
      received.add(line);
      onMessage.accept(line);
      OutputStream out = client.getOutputStream();
      out.write("ok\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException ignored) {
      // the sender gave up; it will report a failure and the message goes on elsewhere
    }
  }
}
