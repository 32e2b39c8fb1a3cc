package dev.ridley.engine.pipeline;

import static dev.ridley.engine.pipeline.PipelineFileErrors.assertLocated;
import static dev.ridley.engine.pipeline.PipelineFileErrors.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ridley.engine.ProcessStatus;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The pipeline's {@code notify} key: strict, its URL and statuses checked when the file loads. */
class NotifyKeyTest {

  @Test
  void notify_with_url_and_statuses_is_read() {
    Pipeline p = PipelineParser.parse("""
        name: divide
        notify: {url: "https://hooks.example.com/ridley?team=a", on: [FAILED, LOST, PARKED]}
        stages: {a: {}}
        """, "divide.yaml").pipeline();

    assertThat(p.webhook().url()).isEqualTo(URI.create("https://hooks.example.com/ridley?team=a"));
    assertThat(p.webhook().on()).containsExactlyInAnyOrder(ProcessStatus.FAILED, ProcessStatus.LOST, ProcessStatus.PARKED);
  }

  @Test
  void without_on_failed_and_lost_are_notified_and_without_notify_nothing_is() {
    Pipeline p = PipelineParser.parse("name: d\nnotify: {url: http://h:8080/x}\nstages: {a: {}}\n", "d.yaml").pipeline();
    assertThat(p.webhook().on()).containsExactlyInAnyOrder(ProcessStatus.FAILED, ProcessStatus.LOST);
    assertThat(PipelineParser.parse("name: d\nstages: {a: {}}\n", "d.yaml").pipeline().webhook()).isNull();
  }

  @Test
  void an_unknown_key_under_notify_is_refused() {
    var e = errorOf("name: divide\nnotify: {url: http://h/x, retries: 3}\nstages: {a: {}}\n");
    assertLocated(e, 2, "notify.retries");
  }

  @Test
  void a_url_that_is_not_absolute_http_is_refused_with_an_example() {
    var e = errorOf("name: divide\nnotify: {url: ftp://h/x}\nstages: {a: {}}\n");
    assertLocated(e, 2, "notify.url");
    assertThat(e).hasMessageContaining("not an absolute http or https URL").hasMessageContaining("e.g.");
    assertLocated(errorOf("name: divide\nnotify: {url: /hook}\nstages: {a: {}}\n"), 2, "notify.url");
    assertThat(errorOf("name: divide\nnotify: {on: [FAILED]}\nstages: {a: {}}\n")).hasMessageContaining("url");
  }

  @Test
  void a_status_a_process_cannot_end_in_is_refused() {
    var e = errorOf("name: divide\nnotify: {url: http://h/x, on: [FAILED, RUNNING]}\nstages: {a: {}}\n");
    assertLocated(e, 2, "notify.on");
    assertThat(e).hasMessageContaining("'RUNNING' is not a status a process ends in");
    assertThat(errorOf("name: divide\nnotify: {url: http://h/x, on: [failed]}\nstages: {a: {}}\n"))
        .hasMessageContaining("'failed'");
  }
}
