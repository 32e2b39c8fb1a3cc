package dev.ridley.engine;

/** The pipeline, process or task named does not exist. */
public class NotFoundException extends RidleyException {

  private final String kind;
  private final String id;

  public NotFoundException(String kind, String id) {
    super("no " + kind + " '" + id + "'");
    this.kind = kind;
    this.id = id;
  }

  public NotFoundException(String kind, String id, String message) {
    super(message);
    this.kind = kind;
    this.id = id;
  }

  public String kind() {
    return kind;
  }

  public String id() {
    return id;
  }
}
