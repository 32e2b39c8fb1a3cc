package dev.ridley.worker;

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

/** Users see dev.ridley.worker and its trace package only; the internal package can change without breaking them. */
class ApiBoundaryTest {

  private static final String API = "dev.ridley.worker";
  private static final Set<String> API_PACKAGES = Set.of(API, "dev.ridley.worker.trace");
  private static final String INTERNAL = "dev.ridley.worker.internal";

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(API);

  @Test
  void no_public_signature_of_the_api_mentions_an_internal_type() {
    List<String> leaks = new ArrayList<>();
    for (JavaClass type : classes) {
      if (!API_PACKAGES.contains(type.getPackageName())
          || !type.getModifiers().contains(JavaModifier.PUBLIC)) {
        continue;
      }
      for (JavaMember member : type.getMembers()) {
        Set<JavaModifier> modifiers = member.getModifiers();
        if (!modifiers.contains(JavaModifier.PUBLIC)
            && !modifiers.contains(JavaModifier.PROTECTED)) {
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
            .filter(t -> t.getPackageName().startsWith(INTERNAL))
            .forEach(t -> leaks.add(member.getFullName() + " exposes " + t.getName()));
      }
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void the_api_is_the_handful_of_types_users_need() {
    List<String> publicTypes =
        classes.stream()
            .filter(c -> API_PACKAGES.contains(c.getPackageName()))
            .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
            .map(JavaClass::getSimpleName)
            .sorted()
            .toList();

    assertThat(publicTypes)
        .containsExactlyInAnyOrder(
            "Action", // trace: Eliot actions, their log, HTTP headers and calls
            "EliotLog",
            "TraceHeaders",
            "TracedHttp",
            "Builder",
            "Builder",
            "Builder",
            "Builder", // client, worker, start request, query
            "Completed",
            "ErrorInfo",
            "Failed",
            "LastSeen",
            "Outcome",
            "ProcessInfo",
            "ProcessPage",
            "ProcessQuery",
            "ProcessStatus",
            "Result",
            "RidleyClient",
            "RidleyClientException",
            "RidleyWorker",
            "StartAnswer", // one item of RidleyClient.startAll
            "StartRequest",
            "StartResult",
            "TaskContext",
            "TaskHandler");
  }
}
