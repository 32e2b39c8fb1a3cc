package dev.ridley.worker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the SDK's log lines, which go through System.Logger to java.util.logging. */
final class LogCapture extends Handler implements AutoCloseable {

  // JUL holds loggers weakly; this reference keeps the handler attached for the test.
  private final Logger logger = Logger.getLogger("dev.ridley.worker");
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  LogCapture() {
    logger.addHandler(this);
  }

  /** Lines at WARNING or above that mention the text. */
  List<String> warningsAbout(String text) {
    return records.stream()
        .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
        .map(LogRecord::getMessage)
        .filter(m -> m.contains(text))
        .toList();
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
