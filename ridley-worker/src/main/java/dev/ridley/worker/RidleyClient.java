package dev.ridley.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ridley.worker.internal.Json;
import dev.ridley.worker.internal.ProcessJson;
import dev.ridley.worker.internal.Response;
import dev.ridley.worker.internal.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.function.Function;

/**
 * Starts processes and looks them up. Thread-safe; make one and share it.
 *
 * <pre>{@code
 * try (RidleyClient ridley = RidleyClient.create(URI.create("http://127.0.0.1:8088"))) {
 *   StartResult started = ridley.start("divide", StartRequest.of(Map.of("x", 1, "y", 2)));
 *   Optional<ProcessInfo> now = ridley.get(started.process().id());
 * }
 * }</pre>
 *
 * <p>Every method throws {@link RidleyClientException} when the server refuses the request, answers
 * something unexpected, or cannot be reached within the request timeout.
 */
public final class RidleyClient implements AutoCloseable {

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final String API = "/api/v1";

  private final Transport transport;
  private final ObjectMapper mapper;

  private RidleyClient(Builder builder) {
    this.transport = new Transport(builder.server, builder.requestTimeout, builder.credentials, builder.ssl);
    this.mapper = builder.mapper;
  }

  public static RidleyClient create(URI server) {
    return builder(server).build();
  }

  public static Builder builder(URI server) {
    return new Builder(server);
  }

  /**
   * Starts a process, or finds the one already started with the request's customId.
   *
   * @return CREATED, ALREADY_EXISTS (same customId and payload: the existing process) or CONFLICT
   *     (same customId, another payload: the existing process, unchanged); a conflict is a value,
   *     not an exception, so a caller retrying after a lost answer can tell them apart
   * @throws RidleyClientException for an unknown pipeline (404), a bad or too large payload
   *     (400/413), or when the server cannot be reached
   */
  public StartResult start(String pipeline, StartRequest request) {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(request, "request");
    ObjectNode body = startBody(request);
    Response response =
        exchange(
            () -> transport.post(API + "/pipelines/" + segment(pipeline) + "/processes", body));
    boolean hasResult = response.body().has("result");
    if (response.isSuccess() || (response.status() == 409 && hasResult)) {
      return decode(response, ProcessJson::startResult);
    }
    throw response.toException();
  }

  /** The most starts one {@link #startAll} takes. */
  public static final int MAX_START_BATCH = 1000;

  /**
   * Starts many processes of one pipeline in one request and one database transaction. Each is
   * answered as its {@link #start} would be, in the order given: CREATED, ALREADY_EXISTS or
   * CONFLICT with the process, or a refusal (400) of that item alone while the others start. A
   * customId named twice starts one process; the later item answers as a repeat of the first.
   *
   * @throws IllegalArgumentException for no requests or more than {@link #MAX_START_BATCH}
   * @throws RidleyClientException for an unknown pipeline (404), a body over the server's limit
   *     (413), or when the server cannot be reached
   */
  public java.util.List<StartAnswer> startAll(String pipeline, java.util.List<StartRequest> requests) {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(requests, "requests");
    if (requests.isEmpty() || requests.size() > MAX_START_BATCH) {
      throw new IllegalArgumentException(
          "startAll takes 1 to " + MAX_START_BATCH + " requests, got " + requests.size() + "; split larger batches");
    }
    ObjectNode body = Json.object();
    com.fasterxml.jackson.databind.node.ArrayNode items = body.putArray("processes");
    for (StartRequest request : requests) items.add(startBody(request));
    Response response = exchange(
        () -> transport.post(API + "/pipelines/" + segment(pipeline) + "/processes/batch", body));
    if (!response.isSuccess()) {
      throw response.toException();
    }
    return decode(response, ProcessJson::startAnswers);
  }

  private ObjectNode startBody(StartRequest request) {
    ObjectNode body = Json.object();
    request.customId().ifPresent(id -> body.put("customId", id));
    request.user().ifPresent(user -> body.put("user", user));
    body.set("payload", mapper.valueToTree(request.payload()));
    return body;
  }

  /**
   * The process with this id, or empty when the server does not know it (404). Other errors throw.
   */
  public Optional<ProcessInfo> get(UUID id) {
    Objects.requireNonNull(id, "id");
    Response response = exchange(() -> transport.get(API + "/processes/" + id));
    if (response.status() == 404) {
      return Optional.empty();
    }
    if (!response.isSuccess()) {
      throw response.toException();
    }
    return Optional.of(decode(response, ProcessJson::process));
  }

  /** One page of processes matching the query; follow {@link ProcessPage#nextCursor()} for more. */
  public ProcessPage search(ProcessQuery query) {
    Objects.requireNonNull(query, "query");
    StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
    query.pipeline().ifPresent(v -> params.add("pipeline=" + encode(v)));
    query.status().ifPresent(v -> params.add("status=" + v.name()));
    query.user().ifPresent(v -> params.add("user=" + encode(v)));
    query.customId().ifPresent(v -> params.add("customId=" + encode(v)));
    query.stage().ifPresent(v -> params.add("stage=" + encode(v)));
    query.seenBefore().ifPresent(v -> params.add("seenBefore=" + encode(v.toString())));
    query.limit().ifPresent(v -> params.add("limit=" + v));
    query.cursor().ifPresent(v -> params.add("cursor=" + encode(v)));
    Response response = exchange(() -> transport.get(API + "/processes" + params));
    if (!response.isSuccess()) {
      throw response.toException();
    }
    return decode(response, ProcessJson::page);
  }

  @Override
  public void close() {
    transport.close();
  }

  private interface Call {
    Response send() throws IOException, InterruptedException;
  }

  private Response exchange(Call call) {
    try {
      return call.send();
    } catch (IOException e) {
      throw new RidleyClientException(
          "cannot reach Ridley at " + transport.base() + ": " + e, 0, null, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RidleyClientException("interrupted while calling Ridley", 0, null, null, e);
    }
  }

  private static <T> T decode(Response response, Function<JsonNode, T> reader) {
    try {
      return reader.apply(response.body());
    } catch (IllegalArgumentException e) {
      throw new RidleyClientException(
          "unexpected answer to " + response.describe() + ": " + e.getMessage(),
          response.status(),
          null,
          null,
          e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** URLEncoder is for forms, where a space is '+'; in a path it must be %20. */
  private static String segment(String value) {
    return encode(value).replace("+", "%20");
  }

  public static final class Builder {
    private final URI server;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private ObjectMapper mapper = Json.newMapper();
    private Supplier<String> credentials;
    private javax.net.ssl.SSLContext ssl;

    private Builder(URI server) {
      this.server = Objects.requireNonNull(server, "server");
    }

    /**
     * The API key sent with every request ({@code Authorization: Bearer}), for a server with
     * {@code RIDLEY_AUTH_FILE}. Default: none.
     */
    public Builder apiKey(String apiKey) {
      this.credentials = Settings.apiKey(apiKey);
      return this;
    }

    /**
     * The TLS context for an {@code https} server whose certificate the JDK's trust store does not
     * know (a private CA, a self-signed certificate). Default: the JDK's.
     */
    public Builder sslContext(javax.net.ssl.SSLContext ssl) {
      this.ssl = Objects.requireNonNull(ssl, "ssl");
      return this;
    }

    /**
     * Gives the bearer token for each request, for a server that accepts OIDC tokens; called
     * before every request, so it can hand out a refreshed token. Default: none.
     */
    public Builder tokenSupplier(Supplier<String> tokens) {
      this.credentials = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /** How long one request may take, connecting included. Default 30 s. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = Settings.positive(requestTimeout, "requestTimeout");
      return this;
    }

    /**
     * The mapper for payloads (not for the protocol itself). Default: Jackson with java.time
     * support, dates as ISO strings.
     */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * @throws IllegalArgumentException when the server URI is not absolute http(s)
     */
    public RidleyClient build() {
      return new RidleyClient(this);
    }
  }
}
