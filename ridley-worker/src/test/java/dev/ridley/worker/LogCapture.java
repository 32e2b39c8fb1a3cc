package dev.ridley.worker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects the log lines under dev.ridley.worker, which the SDK writes through SLF4J (Logback in the tests). */
final class LogCapture implements AutoCloseable {

  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.ridley.worker");
  private final ListAppender<ILoggingEvent> appender =
      new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
          // The MDC is read lazily; take it now, on the thread that logged.
          event.prepareForDeferredProcessing();
          super.append(event);
        }
      };

  LogCapture() {
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
  }

  /** Lines at WARN or above that mention the text. */
  List<String> warningsAbout(String text) {
    return events().stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.contains(text))
        .toList();
  }

  /** Every line captured so far, with its MDC. */
  List<ILoggingEvent> events() {
    return List.copyOf(appender.list);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
