package dev.ridley.server.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The API keys of {@code RIDLEY_AUTH_FILE}: each a name, the SHA-256 of its secret (the secret
 * itself is never stored), roles, and optionally the stages a worker may work on and whether it
 * may act for other users. A presented key is hashed and compared with every entry in constant
 * time ({@link MessageDigest#isEqual}), so neither the answer nor its timing says how much of a
 * key was right.
 */
public final class ApiKeys {

  /** Random bytes in a key made by {@link #newKey()}: 256 bits. */
  static final int KEY_BYTES = 32;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private record Entry(Principal principal, byte[] sha256) {}

  /** One key as the file spells it. */
  record KeyEntry(String name, String sha256, List<String> roles, List<String> stages, Boolean onBehalfOf) {}

  record KeyFile(List<KeyEntry> keys) {}

  private final List<Entry> entries;

  private ApiKeys(List<Entry> entries) {
    this.entries = entries;
  }

  /**
   * Reads a key file; a missing file, a malformed one, an unknown key, a role that does not exist
   * or a hash that is not 64 hex digits fail with a message naming the file and the entry.
   */
  public static ApiKeys load(Path file) {
    String where = "RIDLEY_AUTH_FILE=" + file;
    if (!Files.isReadable(file)) {
      throw new AuthConfigException(where + " cannot be read; write the key file there (entries from: ridley keys"
          + " new NAME --role ROLE), or unset RIDLEY_AUTH_FILE");
    }
    KeyFile parsed;
    try {
      parsed = YAML.readValue(Files.readAllBytes(file), KeyFile.class);
    } catch (UnrecognizedPropertyException e) {
      throw new AuthConfigException(where + ": unknown key '" + e.getPropertyName() + "'; an entry takes name,"
          + " sha256, roles, stages, onBehalfOf");
    } catch (IOException e) {
      throw new AuthConfigException(where + " cannot be read as a key file (keys: [{name, sha256, roles}]): "
          + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    if (parsed == null || parsed.keys() == null || parsed.keys().isEmpty()) {
      throw new AuthConfigException(where + " lists no keys; write keys: [{name: ..., sha256: ..., roles: [client]}]"
          + " (make entries with: ridley keys new NAME --role ROLE)");
    }
    List<Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < parsed.keys().size(); i++) {
      KeyEntry k = parsed.keys().get(i);
      String at = where + ", keys[" + i + "]";
      if (k == null || k.name() == null || k.name().isBlank()) throw new AuthConfigException(at + " has no name");
      at += " (" + k.name() + ")";
      if (!names.add(k.name())) throw new AuthConfigException(at + ": the name is used twice; names are principals");
      if (k.sha256() == null || !k.sha256().matches("[0-9a-fA-F]{64}")) {
        throw new AuthConfigException(at + ": sha256 must be the 64 hex digits of the key's SHA-256"
            + " (printf %s KEY | sha256sum)");
      }
      if (k.roles() == null || k.roles().isEmpty()) {
        throw new AuthConfigException(at + " has no roles; give some of: " + Role.names());
      }
      Set<Role> roles = EnumSet.noneOf(Role.class);
      for (String r : k.roles()) {
        roles.add(Role.of(r).orElseThrow(() -> new AuthConfigException(
            "RIDLEY_AUTH_FILE=" + file + ": unknown role '" + r + "' for key '" + k.name() + "'; roles: " + Role.names())));
      }
      Set<String> stages = k.stages() == null ? Set.of() : Set.copyOf(k.stages());
      boolean onBehalfOf = k.onBehalfOf() != null && k.onBehalfOf();
      entries.add(new Entry(new Principal(k.name(), roles, stages, onBehalfOf),
          HexFormat.of().parseHex(k.sha256().toLowerCase(Locale.ROOT))));
    }
    return new ApiKeys(List.copyOf(entries));
  }

  /** The principal whose key this is, or null. Every entry is compared, whatever matched. */
  public Principal find(String key) {
    byte[] digest = sha256(key);
    Principal found = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(digest, e.sha256()) && found == null) found = e.principal();
    }
    return found;
  }

  /** The principal named {@code name}, for sessions that name theirs; null when it is gone. */
  public Principal named(String name) {
    return entries.stream().map(Entry::principal).filter(p -> p.name().equals(name)).findFirst().orElse(null);
  }

  /** A fresh key: 256 random bits, URL-safe base64 with a {@code rk_} prefix so it is recognisable in a leak scan. */
  public static String newKey() {
    byte[] bytes = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(bytes);
    return "rk_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The lowercase hex SHA-256 of a key, as the file holds it. */
  public static String sha256Hex(String key) {
    return HexFormat.of().formatHex(sha256(key));
  }

  /** The key file entry for a new key. */
  public static String entry(String name, String key, List<Role> roles) {
    return "  - name: " + name + "\n    sha256: " + sha256Hex(key) + "\n    roles: ["
        + String.join(", ", roles.stream().map(Role::id).toList()) + "]\n";
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
