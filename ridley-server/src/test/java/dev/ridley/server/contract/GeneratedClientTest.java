package dev.ridley.server.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ridley.contract.client.ApiClient;
import dev.ridley.contract.client.ApiException;
import dev.ridley.contract.client.api.HealthApi;
import dev.ridley.contract.client.api.OperationsApi;
import dev.ridley.contract.client.api.PipelinesApi;
import dev.ridley.contract.client.api.ProcessesApi;
import dev.ridley.contract.client.api.TasksApi;
import dev.ridley.contract.client.model.ClaimedTask;
import dev.ridley.contract.client.model.CompleteRequest;
import dev.ridley.contract.client.model.ErrorInfo;
import dev.ridley.contract.client.model.FailRequest;
import dev.ridley.contract.client.model.PollRequest;
import dev.ridley.contract.client.model.Process;
import dev.ridley.contract.client.model.ProcessStatus;
import dev.ridley.contract.client.model.ReplayRequest;
import dev.ridley.contract.client.model.StartAnswer;
import dev.ridley.contract.client.model.StartRequest;
import dev.ridley.contract.client.model.TaskResult;
import dev.ridley.contract.client.model.TaskStatus;
import dev.ridley.server.RunningServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java client that the build generates from docs/openapi.yaml (openapi-generator, library
 * native) talks to a real server: the document is enough to write a client and a worker.
 */
class GeneratedClientTest {

  @RegisterExtension static final RunningServer server = new RunningServer();

  ProcessesApi processes;
  TasksApi tasks;

  @BeforeEach
  void client() {
    ApiClient client = new ApiClient();
    client.updateBaseUri(server.uri().toString().replaceAll("/$", ""));
    processes = new ProcessesApi(client);
    tasks = new TasksApi(client);
  }

  ClaimedTask claim(UUID processId, String stage) throws ApiException {
    for (int i = 0; i < 50; i++) {
      List<ClaimedTask> got = tasks.pollTasks(new PollRequest().worker("generated").stages(List.of(stage)).max(10).waitMs(200)).getTasks();
      for (ClaimedTask t : got) {
        if (t.getProcessId().equals(processId)) return t;
      }
    }
    throw new AssertionError("no task of " + processId + " at " + stage);
  }

  @Test
  void start_poll_complete_and_get_with_the_generated_client() throws ApiException {
    StartAnswer started = processes.startProcess("divide", new StartRequest().user("gen").payload(Map.of("x", 6, "y", 3)), null);
    assertThat(started.getResult()).isEqualTo(StartAnswer.ResultEnum.CREATED);
    UUID id = started.getProcess().getId();
    assertThat(started.getProcess().getStatus()).isEqualTo(ProcessStatus.RUNNING);

    ClaimedTask divide = claim(id, "divide");
    assertThat(divide.getPayload()).isEqualTo(Map.of("x", 6, "y", 3));
    assertThat(divide.getStage()).isEqualTo("divide");
    TaskResult done = tasks.completeTask(divide.getId(), new CompleteRequest().outcome("ok").output(2));
    assertThat(done.getTask().getStatus()).isEqualTo(TaskStatus.SUCCEEDED);
    tasks.completeTask(claim(id, "ocean").getId(), new CompleteRequest().output(2));

    Process p = processes.getProcess(id);
    assertThat(p.getStatus()).isEqualTo(ProcessStatus.SUCCEEDED);
    assertThat(p.getOutput()).isEqualTo(2);
    assertThat(p.getFinishedAt()).isNotNull();
    assertThat(processes.getProcessEvents(id).getEvents()).isNotEmpty();
    assertThat(processes.getProcessTasks(id).getTasks()).hasSize(2);
  }

  @Test
  void failures_replays_and_problems_through_the_generated_client() throws ApiException {
    ApiClient client = new ApiClient();
    client.updateBaseUri(server.uri().toString().replaceAll("/$", ""));
    OperationsApi operations = new OperationsApi(client);

    UUID id = processes.startProcess("divide", new StartRequest().payload(Map.of("x", 1, "y", 0)), null).getProcess().getId();
    tasks.failTask(claim(id, "divide").getId(),
        new FailRequest().error(new ErrorInfo().type("java.lang.ArithmeticException").message("/ by zero")).retryable(false));
    tasks.completeTask(claim(id, "errors").getId(), new CompleteRequest());
    Process failed = processes.getProcess(id);
    assertThat(failed.getStatus()).isEqualTo(ProcessStatus.FAILED);
    assertThat(failed.getError().getType()).isEqualTo("java.lang.ArithmeticException");

    Process replayed = operations.replayProcess(id, new ReplayRequest()).getProcess();
    assertThat(replayed.getLastSeen().getStage()).isEqualTo("divide");
    assertThatThrownBy(() -> operations.replayProcess(id, new ReplayRequest()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThatThrownBy(() -> processes.getProcess(UUID.randomUUID()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));

    assertThat(new PipelinesApi(client).listPipelines().getItems()).isNotEmpty();
    assertThat(new HealthApi(client).getHealth().getStatus().getValue()).isEqualTo("UP");
  }
}
