package dev.ridley.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The server, the examples and the bench use the engine through its API only. */
class ArchitectureTest {

  static final JavaClasses OUTSIDE_THE_ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.ridley.server", "dev.ridley.examples", "dev.ridley.worker");

  @Test
  void nothing_outside_the_engine_touches_its_internals() {
    noClasses().should().dependOnClassesThat().resideInAPackage("dev.ridley.engine.internal..")
        .check(OUTSIDE_THE_ENGINE);
  }

  @Test
  void the_server_depends_only_on_the_engines_api_packages() {
    noClasses().that().resideInAPackage("dev.ridley.server..")
        .should().dependOnClassesThat(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "are engine classes outside its API packages",
                c -> c.getPackageName().startsWith("dev.ridley.engine")
                    && !c.getPackageName().equals("dev.ridley.engine")
                    && !c.getPackageName().equals("dev.ridley.engine.pipeline")
                    && !c.getPackageName().equals("dev.ridley.engine.tree")))
        .check(OUTSIDE_THE_ENGINE);
  }

  @Test
  void the_server_runs_no_sql_of_its_own() {
    noClasses().that().resideInAPackage("dev.ridley.server..")
        .should().dependOnClassesThat().haveFullyQualifiedName("java.sql.PreparedStatement")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.sql.Statement")
        .check(OUTSIDE_THE_ENGINE);
  }

  @Test
  void the_worker_sdk_knows_nothing_of_the_engine_or_the_server() {
    noClasses().that().resideInAPackage("dev.ridley.worker..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.ridley.engine..", "dev.ridley.server..")
        .check(OUTSIDE_THE_ENGINE);
  }
}
