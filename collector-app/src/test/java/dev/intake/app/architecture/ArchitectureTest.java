package dev.intake.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependencies docs/ARCHITECTURE.md allows, checked against the compiled classes of every module, so that the
 * structure stays what the document says when new features land.
 */
class ArchitectureTest {

    static JavaClasses intake;

    @BeforeAll
    static void importClasses() {
        intake = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.intake");
    }

    @Test
    void thePackagesOfTheAppDependOnEachOtherWithoutCycles() {
        slices().matching("dev.intake.app.(*)..").should().beFreeOfCycles().check(intake);
    }

    @Test
    void sqlIsWrittenOnlyInStores() {
        noClasses().that().haveSimpleNameNotEndingWith("Store").and().haveNameNotMatching(".*Store\\$.*")
                // the database itself, the transaction stores share, and the assembly that hands stores their Jdbi
                .and().doNotHaveFullyQualifiedName("dev.intake.app.store.Database")
                .and().doNotHaveFullyQualifiedName("dev.intake.app.store.Transaction")
                .and().doNotHaveFullyQualifiedName("dev.intake.app.store.Transactions")
                .and().doNotHaveFullyQualifiedName("dev.intake.app.Intake")
                .should().dependOnClassesThat().resideInAPackage("org.jdbi..")
                .because("SQL lives in the *Store class of the capability whose tables it touches; the rest calls stores")
                .check(intake);
    }

    @Test
    void theWebLayerNeverReachesStorageDirectly() {
        noClasses().that().resideInAPackage("dev.intake.app.web..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.intake.app.store..", "org.jdbi..", "java.sql..")
                .orShould().dependOnClassesThat().haveSimpleNameEndingWith("Store")
                .because("pages and the API read through query interfaces and act through services")
                .check(intake);
    }

    @Test
    void mailAndImapKnowNothingOfTheApp() {
        noClasses().that().resideInAnyPackage("dev.intake.app.mail..", "dev.intake.app.imap..", "dev.intake.app.spool..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.intake.app", "dev.intake.app.admin..", "dev.intake.app.cli..", "dev.intake.app.collect..",
                        "dev.intake.app.control..", "dev.intake.app.crypto..", "dev.intake.app.keys..",
                        "dev.intake.app.ledger..", "dev.intake.app.metrics..", "dev.intake.app.oauth..",
                        "dev.intake.app.reconcile..", "dev.intake.app.schedule..", "dev.intake.app.status..",
                        "dev.intake.app.store..", "dev.intake.app.ticket..", "dev.intake.app.web..",
                        "dev.intake.provider..")
                .because("the mail and IMAP code is protocol code: it takes settings and gives results, and is "
                        + "tested without the app")
                .check(intake);
    }

    @Test
    void providerModulesSeeOnlyTheProviderApiAndTheConfiguration() {
        noClasses().that().resideInAnyPackage("dev.intake.provider..", "dev.intake.config..")
                .should().dependOnClassesThat().resideInAPackage("dev.intake.app..")
                .check(intake);
        noClasses().that().resideInAPackage("dev.intake.provider.entra..")
                .should().dependOnClassesThat().resideInAPackage("dev.intake.provider.google..")
                .check(intake);
        noClasses().that().resideInAPackage("dev.intake.provider.google..")
                .should().dependOnClassesThat().resideInAPackage("dev.intake.provider.entra..")
                .check(intake);
    }

    @Test
    void noProductCodeUsesTheTestKit() {
        noClasses().that().resideOutsideOfPackage("dev.intake.testing..")
                .should().dependOnClassesThat().resideInAPackage("dev.intake.testing..")
                .because("the fakes and helpers of the testing module are for tests (and the benchmark) only")
                .check(intake);
    }

    @Test
    void theAppNamesNoProviderLibrary() {
        noClasses().that().resideInAPackage("dev.intake.app..")
                .should().dependOnClassesThat().resideInAnyPackage("com.microsoft.aad..", "com.google.auth..",
                        "com.google.api.client..", "dev.intake.provider.entra..", "dev.intake.provider.google..")
                .because("providers are found through ServiceLoader; msal4j and Google's library stay in their modules")
                .check(intake);
    }
}
