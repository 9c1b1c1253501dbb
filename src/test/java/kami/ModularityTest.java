package kami;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

class ModularityTest {

    private final ApplicationModules modules = ApplicationModules.of(KamiApplication.class);

    @Test
    void modulesOnlyUseEachOthersPublicApiAndDeclaredDependencies() {
        modules.verify();
    }

    @Test
    void everyModuleDocumentsItselfInPackageInfo() {
        for (ApplicationModule module : modules) {
            String packagePath = module.getBasePackage().getName().replace('.', '/');
            assertThat(Path.of("src/main/java", packagePath, "package-info.java"))
                    .as("package-info.java of module %s", module.getIdentifier()).exists();
        }
        assertThat(modules.stream().count()).as("modules found").isGreaterThanOrEqualTo(8);
    }

    @Test
    void moduleRootsHoldNoSpringComponents() throws Exception {
        for (ApplicationModule module : modules) {
            Path root = Path.of("src/main/java", module.getBasePackage().getName().replace('.', '/'));
            try (var files = Files.list(root)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
                    String source = read(file);
                    assertThat(source).as("%s is API and must not be a Spring component", file)
                            .doesNotContain("@Service", "@Component", "@RestController", "@Controller");
                });
            }
        }
    }

    /**
     * Work that must happen after a commit goes through the messaging outbox, which survives a crash; a listener
     * called after the commit or on another thread would be lost with the process. In-process listeners therefore
     * run inside the publishing transaction, and the annotations for the other kinds are not used.
     */
    @Test
    void noEventListenerRunsOutsideThePublishingTransaction() {
        JavaClasses kami = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("kami");
        ArchRuleDefinition.noMethods().should()
                .beAnnotatedWith("org.springframework.transaction.event.TransactionalEventListener")
                .orShould().beAnnotatedWith("org.springframework.modulith.events.ApplicationModuleListener")
                .orShould().beAnnotatedWith("org.springframework.scheduling.annotation.Async")
                .because("what must happen after a commit is published through the messaging outbox")
                .check(kami);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
