package org.itsmhub.testkit.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Architecture rules every plugin keeps. Extend it in the plugin's tests, naming the plugin's root
 * package:
 *
 * <pre>{@code
 * class FreshdeskArchitectureTest extends PluginArchitectureTest {
 *     FreshdeskArchitectureTest() { super("org.itsmhub.plugin.freshdesk"); }
 * }
 * }</pre>
 */
public abstract class PluginArchitectureTest {

    private final String pluginPackage;
    private final JavaClasses classes;

    protected PluginArchitectureTest(String pluginPackage) {
        this.pluginPackage = pluginPackage;
        this.classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(pluginPackage);
    }

    @Test
    void pluginsCompileAgainstTheHubApiOnly() {
        noClasses().that().resideInAPackage(pluginPackage + "..")
                .should().dependOnClassesThat().resideInAPackage("org.itsmhub.runtime..")
                .because("plugins see only hub-api (org.itsmhub.api..); the runtime is not on their class path "
                        + "at run time. Move what you need into hub-api as a small SPI type, or keep it in the plugin")
                .check(classes);
    }

    @Test
    void pluginsDoNotDependOnOtherPlugins() {
        noClasses().that().resideInAPackage(pluginPackage + "..")
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "classes of another plugin",
                        c -> c.getPackageName().startsWith("org.itsmhub.plugin.")
                                && !c.getPackageName().startsWith(pluginPackage)
                                && !c.getPackageName().startsWith("org.itsmhub.plugin.support")))
                .because("each plugin has its own class loader and cannot see another plugin's classes; shared "
                        + "connector code belongs in the plugin support module")
                .check(classes);
    }

    @Test
    void vendorDtosStayInsideThePlugin() {
        noClasses().that().resideOutsideOfPackage(pluginPackage + "..dto..")
                .and().resideInAPackage(pluginPackage + "..")
                .and().arePublic().and().areInterfaces()
                .should().dependOnClassesThat().resideInAPackage(pluginPackage + "..dto..")
                .because("vendor DTOs are wire formats of one client; public interfaces speak the canonical model")
                .allowEmptyShould(true) // a plugin without public interfaces keeps the rule trivially
                .check(classes);
    }
}
