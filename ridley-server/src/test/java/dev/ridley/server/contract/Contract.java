package dev.ridley.server.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.ridley.server.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * docs/openapi.yaml as a checker of answers: finds the operation a request went to and the
 * response it documents for the answer's status and content type, and validates the body
 * against that response's schema (JSON Schema 2020-12, formats asserted).
 */
public final class Contract {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Contract INSTANCE = new Contract();

  private final JsonNode spec;
  private final List<Template> templates = new ArrayList<>();
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
      SpecificationVersion.DRAFT_2020_12,
      b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  /** A path of the document, as a pattern over request paths. */
  record Template(String path, Pattern pattern, int params) {}

  private Contract() {
    try {
      spec = new YAMLMapper().readTree(TestServers.repoRoot().resolve("docs/openapi.yaml").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Contract.names(spec.path("paths")).forEach(p -> templates.add(new Template(
        p, Pattern.compile(p.replaceAll("\\{[^/]+}", "[^/]+")), p.split("\\{", -1).length - 1)));
    // Literal paths win over templated ones (/processes/replay before /processes/{id}).
    templates.sort(Comparator.comparingInt(Template::params));
  }

  /** The property names of an object node, in order. */
  public static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.properties().forEach(e -> out.add(e.getKey()));
    return out;
  }

  public static Contract get() {
    return INSTANCE;
  }

  public JsonNode spec() {
    return spec;
  }

  /** The document's path template that {@code method} and the request path go to, or null. */
  public String template(String method, String path) {
    String bare = path.split("\\?", 2)[0];
    for (Template t : templates) {
      if (t.pattern().matcher(bare).matches()
          && spec.path("paths").path(t.path()).has(method.toLowerCase(Locale.ROOT))) {
        return t.path();
      }
    }
    return null;
  }

  /** The operationId of a request, or null when the document has no such operation. */
  public String operationId(String method, String path) {
    String t = template(method, path);
    return t == null ? null : spec.path("paths").path(t).path(method.toLowerCase(Locale.ROOT)).path("operationId").asText(null);
  }

  /**
   * What is wrong with an answer by the document: an empty list when it conforms.
   *
   * @param contentType the answer's Content-Type header
   */
  public List<String> violations(String method, String path, int status, String contentType, String body) {
    String where = method + " " + path + " -> " + status;
    String template = template(method, path);
    if (template == null) {
      return List.of(where + ": no such operation in docs/openapi.yaml");
    }
    JsonNode responses = spec.path("paths").path(template).path(method.toLowerCase(Locale.ROOT)).path("responses");
    JsonNode response = responses.has(String.valueOf(status)) ? responses.get(String.valueOf(status)) : responses.get("default");
    if (response == null) {
      return List.of(where + ": status not documented");
    }
    response = resolve(response);
    JsonNode content = response.path("content");
    if (content.isMissingNode() || content.isEmpty()) {
      return body == null || body.isEmpty() ? List.of() : List.of(where + ": documented without a body, got " + body);
    }
    String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    JsonNode media = content.get(mediaType);
    if (media == null) {
      return List.of(where + ": content type '" + mediaType + "' not documented (documented: "
          + Contract.names(content) + ")");
    }
    JsonNode schema = media.path("schema");
    if (schema.isMissingNode() || !(mediaType.equals("application/json") || mediaType.endsWith("+json"))) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    schema(schema).validate(body, InputFormat.JSON).forEach(e -> out.add(where + ": " + e));
    return out;
  }

  private JsonNode resolve(JsonNode node) {
    while (node.has("$ref")) {
      String[] parts = node.get("$ref").asText().substring(2).split("/");
      JsonNode n = spec;
      for (String p : parts) n = n.path(p.replace("~1", "/").replace("~0", "~"));
      node = n;
    }
    return node;
  }

  /** The schema with the document's components beside it, so its $refs resolve. */
  private Schema schema(JsonNode schema) {
    return schemas.computeIfAbsent(schema.toString(), key -> {
      ObjectNode doc = JSON.createObjectNode();
      doc.put("$schema", "https://json-schema.org/draft/2020-12/schema");
      doc.set("allOf", JSON.createArrayNode().add(schema));
      doc.set("components", spec.path("components"));
      return registry.getSchema(doc.toString(), InputFormat.JSON);
    });
  }
}
