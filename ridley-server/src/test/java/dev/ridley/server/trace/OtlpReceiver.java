package dev.ridley.server.trace;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** A local OTLP/HTTP collector for tests: keeps every span posted to {@code /v1/traces}. */
public final class OtlpReceiver implements AutoCloseable {

  private final HttpServer server;
  private final List<Span> spans = new ArrayList<>();
  private final List<ResourceSpans> resources = new ArrayList<>();

  public OtlpReceiver() throws IOException {
    this(0);
  }

  /** A collector on that port (0: any free one). */
  public OtlpReceiver(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/v1/traces", exchange -> {
      try (InputStream raw = exchange.getRequestBody()) {
        boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(gzip ? new GZIPInputStream(raw) : raw);
        synchronized (spans) {
          for (ResourceSpans rs : request.getResourceSpansList()) {
            resources.add(rs);
            for (ScopeSpans ss : rs.getScopeSpansList()) spans.addAll(ss.getSpansList());
          }
        }
        byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    });
    server.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Span> spans() {
    synchronized (spans) {
      return List.copyOf(spans);
    }
  }

  public List<ResourceSpans> resources() {
    synchronized (spans) {
      return List.copyOf(resources);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
