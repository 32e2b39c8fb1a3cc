package dev.ridley.server.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ridley.server.TestServers;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/openapi.yaml is a valid OpenAPI document that clients can generate from. */
class OpenApiDocumentTest {

  static final Set<String> TAGS = Set.of("processes", "tasks", "pipelines", "operations", "health", "auth");
  static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

  @Test
  void the_document_is_valid_openapi_with_no_parser_messages() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser()
        .readLocation(TestServers.repoRoot().resolve("docs/openapi.yaml").toUri().toString(), null, options);
    assertThat(result.getMessages()).as("validation messages").isEmpty();
    assertThat(result.getOpenAPI()).isNotNull();
    assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.1");
    assertThat(result.getOpenAPI().getPaths()).isNotEmpty();
  }

  @Test
  void every_operation_has_a_unique_camel_case_operation_id_and_one_known_tag() {
    JsonNode paths = Contract.get().spec().path("paths");
    Set<String> ids = new HashSet<>();
    List<String> wrong = new ArrayList<>();
    for (String path : Contract.names(paths)) {
      for (String method : Contract.names(paths.get(path))) {
        if (!METHODS.contains(method)) continue;
        JsonNode op = paths.get(path).get(method);
        String id = op.path("operationId").asText("");
        String where = method.toUpperCase() + " " + path;
        if (!id.matches("[a-z][a-zA-Z0-9]*")) wrong.add(where + ": operationId '" + id + "' is not camelCase");
        if (!ids.add(id)) wrong.add(where + ": operationId '" + id + "' is used twice");
        JsonNode tags = op.path("tags");
        if (tags.size() != 1 || !TAGS.contains(tags.get(0).asText())) wrong.add(where + ": tags " + tags + " are not one of " + TAGS);
        if (!op.path("responses").has("200") && !op.path("responses").has("201")) wrong.add(where + ": no success response");
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(ids).contains("startProcess", "getProcess", "searchProcesses", "pollTasks", "completeTask", "failTask",
        "completeTasks", "heartbeatTask", "replayProcess", "replayProcesses", "cancelProcess", "pausePipeline");
  }

  @Test
  void every_schema_property_that_is_a_time_or_an_id_says_its_format() {
    List<String> wrong = new ArrayList<>();
    scan(Contract.get().spec().path("components").path("schemas"), "#/components/schemas", wrong);
    assertThat(wrong).isEmpty();
  }

  /** Properties named *At, at, from, to (times) and id, *Id, currentTask (ids) carry their format. */
  private static void scan(JsonNode node, String where, List<String> wrong) {
    if (node.isObject()) {
      JsonNode props = node.path("properties");
      for (String name : Contract.names(props)) {
        JsonNode p = props.get(name);
        if (p.has("$ref") || !p.has("type")) continue;
        boolean time = name.endsWith("At") || name.equals("at") || (where.endsWith("Throughput") && (name.equals("from") || name.equals("to")));
        boolean id = (name.equals("id") || name.endsWith("Id") || name.equals("currentTask")) && !name.equals("customId") && !name.equals("traceId")
            && !where.endsWith("WorkerSeen");
        if (time && !"date-time".equals(p.path("format").asText())) wrong.add(where + "/" + name + " needs format: date-time");
        if (id && !"uuid".equals(p.path("format").asText())) wrong.add(where + "/" + name + " needs format: uuid");
      }
      for (String name : Contract.names(node)) scan(node.get(name), where + "/" + name, wrong);
    }
  }
}
