package dev.ridley.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Request;

/**
 * Whether the client of a request is still there to read its answer. A long poll asks before each
 * claim, so a poll whose client went away claims nothing.
 *
 * <p>Jetty does not read a connection while its request is being handled, so it does not notice a
 * client that closed it: on a plain HTTP/1 connection this class reads the socket itself, without
 * blocking. End of stream, or an error, means the client is gone. HTTP/1 clients send nothing more
 * before their answer unless they pipeline; should a byte of a pipelined request be read, the
 * answer closes the connection ({@code Connection: close}) so the request is not misread, and the
 * client sends it again on a new connection, as pipelining clients must. Other connections (TLS,
 * HTTP/2) are only known to be gone once Jetty fails the request.
 */
final class ClientPresence {

  private final AtomicBoolean failed = new AtomicBoolean();
  private final EndPoint endPoint;
  private final SocketChannel channel;
  private volatile boolean readAhead;

  private ClientPresence(Request request) {
    request.addFailureListener(t -> failed.set(true));
    ConnectionMetaData meta = request.getConnectionMetaData();
    this.endPoint = meta.getConnection().getEndPoint();
    boolean plainHttp1 = !meta.isSecure()
        && (meta.getHttpVersion() == HttpVersion.HTTP_1_1 || meta.getHttpVersion() == HttpVersion.HTTP_1_0);
    this.channel = plainHttp1 && endPoint.getTransport() instanceof SocketChannel c && !c.isBlocking() ? c : null;
  }

  private ClientPresence() {
    this.endPoint = null;
    this.channel = null;
  }

  static ClientPresence of(Context ctx) {
    ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
    return request == null ? new ClientPresence() : new ClientPresence(request);
  }

  /** Whether the client is still connected, as far as can be seen without blocking. */
  boolean present() {
    if (failed.get() || (endPoint != null && !endPoint.isOpen())) return false;
    if (channel == null || readAhead) return true;
    try {
      int n = channel.read(ByteBuffer.allocate(1));
      if (n < 0) {
        failed.set(true);
        return false;
      }
      if (n > 0) readAhead = true;
      return true;
    } catch (IOException e) {
      failed.set(true);
      return false;
    }
  }

  /** Whether a byte the client sent after its request was read here: its answer must close the connection. */
  boolean readAhead() {
    return readAhead;
  }
}
