package dev.ridley.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine's walls. Its API is {@code dev.ridley.engine} (facades, values, exceptions), the
 * pipeline model and the action tree; the rest lives under {@code internal} and may change freely.
 */
class ArchitectureTest {

  static final Set<String> API_PACKAGES =
      Set.of("dev.ridley.engine", "dev.ridley.engine.pipeline", "dev.ridley.engine.tree");
  static final String INTERNAL = "dev.ridley.engine.internal..";

  static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.ridley.engine");

  @Test
  void every_engine_class_is_in_an_api_package_or_under_internal() {
    classes().should().resideInAnyPackage(
            "dev.ridley.engine", "dev.ridley.engine.pipeline", "dev.ridley.engine.tree", INTERNAL)
        .check(ENGINE);
  }

  @Test
  void api_packages_use_no_internal_type_except_the_builder_that_wires_them() {
    noClasses().that().resideInAnyPackage(API_PACKAGES.toArray(String[]::new))
        .and().doNotHaveFullyQualifiedName(EngineBuilder.class.getName())
        .should().dependOnClassesThat().resideInAPackage(INTERNAL)
        .check(ENGINE);
  }

  @Test
  void no_public_signature_of_the_api_mentions_an_internal_type() {
    List<String> leaks = new ArrayList<>();
    for (JavaClass type : ENGINE) {
      if (!API_PACKAGES.contains(type.getPackageName()) || !type.getModifiers().contains(JavaModifier.PUBLIC)) {
        continue;
      }
      for (JavaMember member : type.getMembers()) {
        if (!member.getModifiers().contains(JavaModifier.PUBLIC)
            && !member.getModifiers().contains(JavaModifier.PROTECTED)) {
          continue;
        }
        List<JavaClass> mentioned = new ArrayList<>();
        if (member instanceof JavaCodeUnit code) {
          mentioned.addAll(code.getRawParameterTypes());
          mentioned.add(code.getRawReturnType());
        } else if (member instanceof JavaField field) {
          mentioned.add(field.getRawType());
        }
        mentioned.stream()
            .filter(t -> t.getPackageName().startsWith("dev.ridley.engine.internal"))
            .forEach(t -> leaks.add(member.getFullName() + " exposes " + t.getName()));
      }
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void the_internal_packages_have_no_cycles() {
    slices().matching("dev.ridley.engine.internal.(*)..").should().beFreeOfCycles().check(ENGINE);
  }

  @Test
  void the_api_packages_and_the_internals_have_no_cycles_between_them() {
    slices().matching("dev.ridley.engine.(*)..").should().beFreeOfCycles().check(ENGINE);
  }

  @Test
  void the_engine_never_speaks_http_nor_knows_the_server_or_the_worker_sdk() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "java.net.http..",
            "dev.ridley.server..", "dev.ridley.worker..")
        .check(ENGINE);
  }

  @Test
  void the_pipeline_model_does_not_depend_on_the_database() {
    noClasses().that().resideInAPackage("dev.ridley.engine.pipeline..")
        .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.flywaydb..")
        .check(ENGINE);
  }

  @Test
  void timer_rules_do_not_depend_on_routing() {
    noClasses().that().resideInAPackage("dev.ridley.engine.internal.timer..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.ridley.engine.internal.routing..")
        .check(ENGINE);
  }

  @Test
  void sql_stays_in_the_store() {
    noClasses().that().resideOutsideOfPackages("dev.ridley.engine.internal.store..", "dev.ridley.engine.internal.dispatch..")
        .and().doNotHaveFullyQualifiedName(ConnectionSupplier.class.getName())
        .and().resideOutsideOfPackage("dev.ridley.engine.internal")
        .should().dependOnClassesThat().haveFullyQualifiedName("java.sql.PreparedStatement")
        .check(ENGINE);
  }
}
