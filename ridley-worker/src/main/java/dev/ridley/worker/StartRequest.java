package dev.ridley.worker;

import java.util.Optional;

/**
 * What to start a process with. Immutable; change it with the {@code with…} methods or {@link
 * #toBuilder()}.
 *
 * <p>The payload is any object Jackson can serialize (a record, a map, a {@code JsonNode}, a
 * number…); it is serialized when the request is sent, with the client's {@code ObjectMapper}.
 */
public final class StartRequest {

  private final Object payload;
  private final String customId;
  private final String user;

  private StartRequest(Builder builder) {
    this.payload = builder.payload;
    this.customId = builder.customId;
    this.user = builder.user;
  }

  public static StartRequest of(Object payload) {
    return builder().payload(payload).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().payload(payload).customId(customId).user(user);
  }

  /** The payload as given; null stands for JSON null. */
  public Object payload() {
    return payload;
  }

  /** The idempotency key: a second start with the same one never creates a second process. */
  public Optional<String> customId() {
    return Optional.ofNullable(customId);
  }

  /** Who is starting the process, recorded with it and searchable. */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  public StartRequest withPayload(Object payload) {
    return toBuilder().payload(payload).build();
  }

  public StartRequest withCustomId(String customId) {
    return toBuilder().customId(customId).build();
  }

  public StartRequest withUser(String user) {
    return toBuilder().user(user).build();
  }

  @Override
  public String toString() {
    return "StartRequest[customId=" + customId + ", user=" + user + ", payload=" + payload + "]";
  }

  public static final class Builder {
    private Object payload;
    private String customId;
    private String user;

    private Builder() {}

    public Builder payload(Object payload) {
      this.payload = payload;
      return this;
    }

    /** Null for none; blank is refused, since a blank key would look set but match by accident. */
    public Builder customId(String customId) {
      this.customId = nonBlankOrNull(customId, "customId");
      return this;
    }

    public Builder user(String user) {
      this.user = nonBlankOrNull(user, "user");
      return this;
    }

    public StartRequest build() {
      return new StartRequest(this);
    }

    private static String nonBlankOrNull(String value, String name) {
      if (value != null && value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank; pass null for none");
      }
      return value;
    }
  }
}
