package dev.ridley.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ridley.engine.Engine;
import dev.ridley.engine.EngineBuilder;
import dev.ridley.engine.pipeline.Pipeline;
import dev.ridley.engine.pipeline.PipelineLoader;
import dev.ridley.server.metrics.EngineMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What every workload runs on: the scratch database (emptied first), the bench pipelines written
 * to a folder a server can load, and an engine in this JVM for starting processes, checking the
 * result and, in {@code inproc} mode, for the workers.
 */
final class Rig implements AutoCloseable {

  static final String PIPELINE = "bench";
  static final List<String> PIPELINE_STAGES = List.of("stage1", "stage2", "stage3");
  static final String LATENCY = "bench-latency";
  static final List<String> LATENCY_STAGES = List.of("ping");
  static final String LOOP = "bench-loop";
  static final List<String> LOOP_STAGES = List.of("loop-a", "loop-b");
  static final String TIMERS = "bench-timers";
  /** The pipeline workload's stages with short heartbeat timeouts: the sweeper's timer storm. */
  static final String STORM = "bench-storm";
  private static final List<String> PIPELINE_FILES =
      List.of("bench.yaml", "bench-latency.yaml", "bench-loop.yaml", "bench-timers.yaml", "bench-storm.yaml");

  private final String dbUrl;
  private final HikariDataSource pool;
  private final Path pipelineDir;
  private final Engine engine;

  private Rig(String dbUrl, HikariDataSource pool, Path pipelineDir, Engine engine) {
    this.dbUrl = dbUrl;
    this.pool = pool;
    this.pipelineDir = pipelineDir;
    this.engine = engine;
  }

  /**
   * @param poolSize connections of this JVM's pool (the in-process workers use it)
   */
  static Rig open(String dbUrl, int poolSize) {
    return open(dbUrl, poolSize, null);
  }

  /**
   * @param retention the engine's default retention of ended processes; null: kept forever
   */
  static Rig open(String dbUrl, int poolSize, java.time.Duration retention) {
    return open(dbUrl, poolSize, retention, true, false, false);
  }

  /**
   * @param groupStarts whether this JVM's engine gathers concurrent single starts into shared
   *     commits (off: one transaction per start, as before they were grouped)
   * @param amqp whether the {@code bench} pipeline's stages go through RabbitMQ ({@code transport:
   *     amqp}) rather than HTTP polls
   * @param engineMetrics whether this JVM's engine reports to Prometheus meters, as a server's does
   */
  static Rig open(String dbUrl, int poolSize, java.time.Duration retention, boolean groupStarts, boolean amqp,
      boolean engineMetrics) {
    if (dbUrl == null || dbUrl.isBlank()) {
      throw new BenchException(
          "RIDLEY_DB_URL is not set: the bench runs on a scratch PostgreSQL, e.g. start one with"
              + " ../shared/bench/pg.sh start and set"
              + " RIDLEY_DB_URL='jdbc:postgresql://127.0.0.1:55432/ridley?user=postgres'");
    }
    String host = URI.create(dbUrl.substring("jdbc:".length())).getHost();
    if (!List.of("127.0.0.1", "localhost", "[::1]").contains(host)) {
      throw new BenchException("RIDLEY_DB_URL=" + dbUrl + " is not on this machine; the bench empties"
          + " Ridley's tables before each run, so it only runs on a local scratch database");
    }
    HikariDataSource pool = pool(dbUrl, poolSize);
    try {
      Engine.migrate(pool);
      empty(pool);
      Path dir = writePipelines();
      if (amqp) {
        Path bench = dir.resolve("bench.yaml");
        Files.writeString(bench, Files.readString(bench).replace("timeout: 1h\n", "timeout: 1h\ntransport: amqp\n"));
      }
      List<Pipeline> pipelines = PipelineLoader.loadDirectory(dir);
      EngineBuilder builder = Engine.builder(pool).pipelines(pipelines)
          // Wake-up connections of their own, as the server does, so the pool keeps all of its.
          .listenConnections(() -> java.sql.DriverManager.getConnection(dbUrl))
          .defaultRetention(retention)
          .groupStarts(groupStarts);
      if (engineMetrics) builder.observer(new EngineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
      Engine engine = builder.build();
      return new Rig(dbUrl, pool, dir, engine);
    } catch (IOException e) {
      pool.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  static HikariDataSource pool(String url, int size) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    hc.setMaximumPoolSize(size);
    hc.setMinimumIdle(size);
    hc.setPoolName("bench");
    return new HikariDataSource(hc);
  }

  /** Empties Ridley's tables, as before a run; the engine and the server keep running. */
  void empty() {
    empty(pool);
  }

  private static void empty(HikariDataSource pool) {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      List<String> tables = List.of("journal", "task", "process", "stage_pause", "stage_worker", "stage_count",
          "stage_count_delta", "amqp_outbox");
      StringBuilder present = new StringBuilder();
      for (String t : tables) {
        try (ResultSet rs = s.executeQuery("select to_regclass('" + t + "') is not null")) {
          rs.next();
          if (rs.getBoolean(1)) present.append(present.isEmpty() ? "" : ", ").append(t);
        }
      }
      s.execute("truncate " + present + " cascade");
      s.execute("vacuum analyze");
    } catch (SQLException e) {
      throw new BenchException("could not empty the bench database: " + e.getMessage(), e);
    }
  }

  private static Path writePipelines() {
    try {
      Path dir = Files.createTempDirectory("ridley-bench-pipelines");
      for (String f : PIPELINE_FILES) {
        try (InputStream in = Rig.class.getResourceAsStream("/bench-pipelines/" + f)) {
          Files.copy(in, dir.resolve(f));
        }
      }
      dir.toFile().deleteOnExit();
      for (String f : PIPELINE_FILES) dir.resolve(f).toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String dbUrl() {
    return dbUrl;
  }

  HikariDataSource pool() {
    return pool;
  }

  Path pipelineDir() {
    return pipelineDir;
  }

  Engine engine() {
    return engine;
  }

  /** Runs one query returning one number. */
  long count(String sql) {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new BenchException("query failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    engine.close();
    pool.close();
  }
}
