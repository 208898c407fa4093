package org.itsmhub.testkit.plugin;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

import org.pf4j.processor.ExtensionAnnotationProcessor;

/**
 * Builds a real plugin zip inside a test, laid out like the plugins parent POM lays it out:
 * {@code plugin.properties}, {@code classes/} (with {@code META-INF/extensions.idx}) and
 * {@code lib/*.jar}.
 *
 * <p>The Java sources are compiled with {@code javax.tools} against the test's own class path (so
 * hub-api and pf4j are visible), with PF4J's extension annotation processor. The classes end up only
 * in the zip, never on the test's class path, so a test that loads the zip through a plugin manager
 * exercises real class-loader isolation.
 *
 * <pre>{@code
 * Path zip = PluginZipBuilder.plugin("alpha")
 *         .pluginClass("test.alpha.AlphaPlugin")
 *         .source("test.alpha.AlphaPlugin", """
 *                 package test.alpha;
 *                 public class AlphaPlugin extends org.pf4j.Plugin {}
 *                 """)
 *         .source("test.alpha.AlphaFactory", "...") // an @Extension implementing ConnectorFactory
 *         .buildInto(pluginsDir);                   // pluginsDir/alpha-1.0.0.zip
 * }</pre>
 *
 * Needs a JDK (not a bare JRE) to run the tests.
 */
public final class PluginZipBuilder {

    private final String pluginId;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<Path> libJars = new ArrayList<>();
    private final List<Path> extraClasspath = new ArrayList<>();

    private PluginZipBuilder(String pluginId) {
        this.pluginId = pluginId;
        properties.put("plugin.id", pluginId);
        properties.put("plugin.version", "1.0.0");
        properties.put("plugin.provider", "ITSM Hub tests");
        properties.put("plugin.description", "Test plugin " + pluginId);
    }

    /** Starts a plugin with this id, version {@code 1.0.0} and no {@code plugin.class} (PF4J's default). */
    public static PluginZipBuilder plugin(String pluginId) {
        if (pluginId == null || pluginId.isBlank()) {
            throw new IllegalArgumentException("a plugin needs an id");
        }
        return new PluginZipBuilder(pluginId);
    }

    public PluginZipBuilder version(String version) {
        return property("plugin.version", version);
    }

    /** The fully qualified name of the plugin's {@code org.pf4j.Plugin} subclass. */
    public PluginZipBuilder pluginClass(String className) {
        return property("plugin.class", className);
    }

    public PluginZipBuilder provider(String provider) {
        return property("plugin.provider", provider);
    }

    /** The hub versions the plugin works with, e.g. {@code >=0.1.0}. */
    public PluginZipBuilder requires(String requires) {
        return property("plugin.requires", requires);
    }

    public PluginZipBuilder description(String description) {
        return property("plugin.description", description);
    }

    /**
     * Sets any {@code plugin.properties} entry; {@code null} removes it (to build a broken descriptor,
     * e.g. without {@code plugin.id}). The zip's name keeps the id given to {@link #plugin}.
     */
    public PluginZipBuilder property(String key, String value) {
        Objects.requireNonNull(key, "key");
        if (value == null) {
            properties.remove(key);
        } else {
            properties.put(key, value);
        }
        return this;
    }

    /** Adds one compilation unit; {@code className} is the fully qualified name of its top-level class. */
    public PluginZipBuilder source(String className, String code) {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(code, "code");
        if (sources.putIfAbsent(className, code) != null) {
            throw new IllegalArgumentException("source " + className + " was added twice");
        }
        return this;
    }

    /** Puts a jar into the zip's {@code lib/}; it is also on the class path the sources compile against. */
    public PluginZipBuilder libJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no jar at " + jar);
        }
        libJars.add(jar);
        return this;
    }

    /** Adds a class-path entry for compiling the sources only (it does not go into the zip). */
    public PluginZipBuilder compileClasspath(Path entry) {
        extraClasspath.add(entry);
        return this;
    }

    /**
     * Compiles the sources and writes {@code <plugin id>-<version>.zip} into {@code directory}
     * (created when missing).
     *
     * @return the zip
     * @throws IllegalStateException when the sources do not compile, with the compiler's messages
     */
    public Path buildInto(Path directory) {
        String version = properties.getOrDefault("plugin.version", "0.0.0");
        Path zip = directory.resolve(pluginId + "-" + version + ".zip");
        Path classes = null;
        try {
            Files.createDirectories(directory);
            classes = Files.createTempDirectory("plugin-" + pluginId + "-classes");
            List<Path> classpath = new ArrayList<>(extraClasspath);
            classpath.addAll(libJars);
            compile("plugin " + pluginId, sources, classes, classpath, true);
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
                out.putNextEntry(new ZipEntry("plugin.properties"));
                out.write(propertiesText().getBytes(StandardCharsets.ISO_8859_1));
                out.closeEntry();
                addTree(out, classes, "classes/");
                for (Path jar : libJars) {
                    out.putNextEntry(new ZipEntry("lib/" + jar.getFileName()));
                    Files.copy(jar, out);
                    out.closeEntry();
                }
            }
            return zip;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build plugin zip " + zip, e);
        } finally {
            deleteQuietly(classes);
        }
    }

    /**
     * Compiles sources (fully qualified class name → code) into a plain jar, e.g. a library for a
     * plugin's {@code lib/} via {@link #libJar}. Compiled against the test's class path.
     *
     * @return {@code jarFile}
     */
    public static Path compileJar(Path jarFile, Map<String, String> sources) {
        Path classes = null;
        try {
            Path parent = jarFile.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            classes = Files.createTempDirectory("jar-classes");
            compile("jar " + jarFile.getFileName(), sources, classes, List.of(), false);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jarFile))) {
                addTree(out, classes, "");
            }
            return jarFile;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build jar " + jarFile, e);
        } finally {
            deleteQuietly(classes);
        }
    }

    private String propertiesText() throws IOException {
        Properties props = new Properties();
        props.putAll(properties);
        StringWriter text = new StringWriter();
        props.store(text, "written by PluginZipBuilder");
        return text.toString();
    }

    private static void compile(String what, Map<String, String> sources, Path output, List<Path> extraClasspath,
            boolean extensionIndex) throws IOException {
        if (sources.isEmpty()) {
            return;
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler: run the tests on a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(output));
            List<Path> classpath = new ArrayList<>(extraClasspath);
            classpath.addAll(testClasspath());
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, classpath);
            List<JavaFileObject> units = sources.entrySet().stream()
                    .map(e -> (JavaFileObject) new SourceString(e.getKey(), e.getValue()))
                    .toList();
            JavaCompiler.CompilationTask task = compiler.getTask(null, files, diagnostics,
                    List.of("-nowarn", "-Xlint:none", "-encoding", "UTF-8"), null, units);
            task.setProcessors(extensionIndex ? List.of(new ExtensionAnnotationProcessor()) : List.of());
            if (!task.call()) {
                String messages = diagnostics.getDiagnostics().stream()
                        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                        .map(d -> (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber()
                                + ": ") + d.getMessage(Locale.ROOT))
                        .collect(Collectors.joining("\n"));
                throw new IllegalStateException(what + " does not compile:\n" + messages);
            }
        }
    }

    /** The running test's class path (Surefire puts the real one into {@code java.class.path}). */
    private static List<Path> testClasspath() {
        String classpath = System.getProperty("java.class.path", "");
        List<Path> result = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank() && Files.exists(Path.of(entry))) {
                result.add(Path.of(entry));
            }
        }
        return result;
    }

    private static void addTree(ZipOutputStream out, Path root, String prefix) throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(root)) {
            entries = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : entries) {
            String name = prefix + root.relativize(file).toString().replace(File.separatorChar, '/');
            out.putNextEntry(new ZipEntry(name));
            Files.copy(file, out);
            out.closeEntry();
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temp folder is harmless; the classes are never on the test class path
        }
    }

    /** A compilation unit held in memory. */
    private static final class SourceString extends SimpleJavaFileObject {

        private final String code;

        SourceString(String className, String code) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
