package dev.ridley.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineDirectoryTest {

  @TempDir Path dir;

  private Path write(String fileName, String pipelineName) throws IOException {
    return Files.writeString(
        dir.resolve(fileName), "name: " + pipelineName + "\nstages: {a: {}}\n");
  }

  @Test
  void loads_every_yaml_and_yml_file_sorted_by_file_name() throws IOException {
    write("b.yml", "second");
    write("c.yaml", "third");
    write("a.yaml", "first");

    assertThat(PipelineLoader.loadDirectory(dir))
        .extracting(Pipeline::name)
        .containsExactly("first", "second", "third");
  }

  @Test
  void each_pipeline_records_its_file_as_source() throws IOException {
    Path file = write("divide.yaml", "divide");

    assertThat(PipelineLoader.loadDirectory(dir))
        .singleElement()
        .extracting(Pipeline::source)
        .isEqualTo(file.toString());
    assertThat(PipelineLoader.loadFile(file).source()).isEqualTo(file.toString());
  }

  @Test
  void other_files_dot_files_and_sub_folders_are_ignored() throws IOException {
    write("divide.yaml", "divide");
    Files.writeString(dir.resolve("README.md"), "# not a pipeline");
    Files.writeString(dir.resolve("divide.yaml.bak"), "not: yaml: at all");
    Files.writeString(dir.resolve(".#divide.yaml"), "editor lock file");
    Files.createDirectory(dir.resolve("old"));
    Files.writeString(dir.resolve("old/divide.yaml"), "name: divide\nstages: {a: {}}\n");

    assertThat(PipelineLoader.loadDirectory(dir))
        .extracting(Pipeline::name)
        .containsExactly("divide");
  }

  @Test
  void an_empty_folder_loads_no_pipelines() {
    assertThat(PipelineLoader.loadDirectory(dir)).isEmpty();
  }

  @Test
  void missing_folder_is_an_error_naming_the_folder() {
    Path missing = dir.resolve("pipelines");

    assertThatThrownBy(() -> PipelineLoader.loadDirectory(missing))
        .isInstanceOfSatisfying(
            PipelineFileException.class, e -> assertThat(e.file()).isEqualTo(missing.toString()))
        .hasMessageStartingWith(missing + ": no such folder");
  }

  @Test
  void a_file_given_as_folder_is_an_error() throws IOException {
    Path file = write("divide.yaml", "divide");

    assertThatThrownBy(() -> PipelineLoader.loadDirectory(file))
        .isInstanceOf(PipelineFileException.class)
        .hasMessageStartingWith(file + ": not a folder");
  }

  @Test
  void duplicate_pipeline_names_across_files_name_both_files() throws IOException {
    Path first = write("a.yaml", "divide");
    Files.writeString(dir.resolve("b.yaml"), "# copy of a.yaml\nname: divide\nstages: {x: {}}\n");
    Path second = dir.resolve("b.yaml");

    assertThatThrownBy(() -> PipelineLoader.loadDirectory(dir))
        .isInstanceOf(PipelineFileException.class)
        .hasMessage(
            second
                + " line 2, key 'name': pipeline 'divide' is already defined in "
                + first
                + "; pipeline names must be unique");
  }

  @Test
  void an_invalid_file_in_the_folder_is_reported_with_its_path() throws IOException {
    write("a.yaml", "good");
    Path bad =
        Files.writeString(dir.resolve("b.yaml"), "name: bad\nstages: {a: {maxInFlight: lots}}\n");

    assertThatThrownBy(() -> PipelineLoader.loadDirectory(dir))
        .isInstanceOf(PipelineFileException.class)
        .hasMessageStartingWith(bad + " line 2, key 'stages.a.maxInFlight': ");
  }

  @Test
  void missing_file_is_an_error_naming_the_file() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> PipelineLoader.loadFile(missing))
        .isInstanceOf(PipelineFileException.class)
        .hasMessageStartingWith(missing + ": no such file");
  }
}
