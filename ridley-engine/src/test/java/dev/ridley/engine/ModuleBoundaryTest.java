package dev.ridley.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine stays free of HTTP and of the worker SDK; its value records stay free of internals. */
class ModuleBoundaryTest {

  static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.ridley.engine");

  @Test
  void the_engine_never_depends_on_http_the_server_or_the_worker_sdk() {
    noClasses().that().resideInAPackage("dev.ridley.engine..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.javalin..", "org.eclipse.jetty..", "dev.ridley.server..", "dev.ridley.worker..", "java.net.http..")
        .check(ENGINE);
  }

  @Test
  void the_pipeline_model_does_not_depend_on_the_database() {
    noClasses().that().resideInAPackage("dev.ridley.engine.pipeline..")
        .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "dev.ridley.engine.store..", "org.flywaydb..")
        .check(ENGINE);
  }

  @Test
  void timer_rules_do_not_depend_on_routing() {
    noClasses().that().resideInAPackage("dev.ridley.engine.internal.timer..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.ridley.engine.internal.routing..")
        .check(ENGINE);
  }
}
