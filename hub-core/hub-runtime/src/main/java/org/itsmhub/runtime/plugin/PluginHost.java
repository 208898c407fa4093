package org.itsmhub.runtime.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.itsmhub.api.connector.Capability;
import org.itsmhub.api.connector.ConnectorFactory;
import org.pf4j.DefaultPluginManager;
import org.pf4j.Plugin;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector plugins in the plugins directory, loaded with PF4J.
 *
 * <p>{@link #load} loads and starts every plugin zip (PF4J expands each into a folder next to it, so
 * the directory must be writable) and collects the {@link ConnectorFactory} extensions by connector
 * id. A plugin that cannot be used is reported as a {@link PluginProblem} (also logged at WARN),
 * unloaded, and the hub goes on with the rest: a bad descriptor, a missing plugin class, an exception
 * in {@code Plugin.start()}, a {@code plugin.requires} this hub does not meet, no connector extension,
 * or a connector id another plugin already provides (plugins are taken in plugin-id order; the later
 * one is skipped).
 *
 * <p>Factories are handed out wrapped by {@link PluginBoundary}; starting, stopping and creating
 * extensions also run with the plugin's class loader as thread context class loader.
 *
 * <p>Thread-safety: loading happens in {@link #load}; afterwards the host is read-only until
 * {@link #close()}, which unloads every plugin and closes their class loaders.
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

    private final Path pluginsDir;
    private final String hubVersion;
    private final HostPluginManager manager;
    private final Map<String, ConnectorFactory> factories;
    private final Map<String, PluginInfo> infos;
    private final List<PluginProblem> problems;
    private boolean closed;

    private PluginHost(Path pluginsDir, String hubVersion, HostPluginManager manager,
            Map<String, ConnectorFactory> factories, Map<String, PluginInfo> infos, List<PluginProblem> problems) {
        this.pluginsDir = pluginsDir;
        this.hubVersion = hubVersion;
        this.manager = manager;
        this.factories = factories;
        this.infos = infos;
        this.problems = List.copyOf(problems);
    }

    /** Loads the plugins in {@code pluginsDir}, checking {@code plugin.requires} against {@link HubVersion#VERSION}. */
    public static PluginHost load(Path pluginsDir) {
        return load(pluginsDir, HubVersion.VERSION);
    }

    /**
     * Loads the plugins in {@code pluginsDir}, checking {@code plugin.requires} against
     * {@code hubVersion} (its qualifier, such as {@code -SNAPSHOT}, is ignored).
     *
     * @throws IllegalArgumentException when the directory does not exist or is not writable
     */
    public static PluginHost load(Path pluginsDir, String hubVersion) {
        Path dir = pluginsDir.toAbsolutePath().normalize();
        checkDirectory(dir);
        String systemVersion = HubVersion.release(hubVersion);

        List<PluginProblem> problems = new ArrayList<>();
        HostPluginManager manager = new HostPluginManager(dir, problems);
        manager.setSystemVersion(systemVersion);
        Map<String, ConnectorFactory> factories = new TreeMap<>();
        Map<String, PluginInfo> infos = new TreeMap<>();
        try {
            try {
                manager.loadPlugins();
            } catch (RuntimeException e) { // a dependency cycle between plugins; nothing loads then
                problems.add(new PluginProblem(dir.toString(), "cannot resolve plugins: " + describe(e)));
            }
            reportUnexpandedZips(dir, problems);

            List<PluginWrapper> plugins = new ArrayList<>(manager.getPlugins());
            plugins.sort(Comparator.comparing(PluginWrapper::getPluginId));
            for (PluginWrapper plugin : plugins) {
                if (!start(manager, plugin, systemVersion, problems)
                        || !collectConnectors(manager, plugin, factories, infos, problems)) {
                    manager.unloadPlugin(plugin.getPluginId());
                }
            }
        } catch (RuntimeException | Error e) {
            manager.unloadPlugins();
            throw e;
        }
        problems.forEach(p -> LOG.warn("Skipped plugin {}: {}", p.plugin(), p.message()));
        LOG.info("Loaded {} connector(s) from {}: {}", factories.size(), dir,
                infos.values().stream().map(i -> i.connectorId() + " " + i.version()).toList());
        return new PluginHost(dir, systemVersion, manager, factories, infos, problems);
    }

    /** The factory of a connector id (the {@code plugin:} value in config), wrapped by {@link PluginBoundary}. */
    public synchronized Optional<ConnectorFactory> factory(String connectorId) {
        return closed ? Optional.empty() : Optional.ofNullable(factories.get(connectorId));
    }

    /** Every loaded connector factory, in connector-id order, each wrapped by {@link PluginBoundary}. */
    public synchronized Collection<ConnectorFactory> factories() {
        return closed ? List.of() : List.copyOf(factories.values());
    }

    /** What the loaded plugins provide, one entry per connector, in connector-id order. */
    public synchronized Collection<PluginInfo> plugins() {
        return closed ? List.of() : List.copyOf(infos.values());
    }

    /** The plugins that were skipped, and why. */
    public List<PluginProblem> problems() {
        return problems;
    }

    /** The plugins directory, absolute. */
    public Path pluginsDir() {
        return pluginsDir;
    }

    /** The version {@code plugin.requires} was checked against. */
    public String hubVersion() {
        return hubVersion;
    }

    /**
     * Stops and unloads every plugin and closes their class loaders. Uses PF4J's
     * {@code unloadPlugins()}, never {@code stopPlugins()} (which in PF4J 3.15.0 stops only one of
     * two plugins, pf4j issue #656). Factories and connectors handed out before must not be used
     * afterwards. Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        manager.unloadPlugins();
        List<PluginWrapper> left = manager.getPlugins();
        if (!left.isEmpty()) {
            LOG.warn("Plugins still loaded after unloading: {}",
                    left.stream().map(PluginWrapper::getPluginId).collect(Collectors.joining(", ")));
        }
    }

    private static void checkDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Plugins directory " + dir + " does not exist or is not a directory;"
                    + " create it or set hub.plugins-dir to the folder holding the plugin zips");
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("Plugins directory " + dir + " is not writable; the hub expands each"
                    + " plugin zip into a folder next to it, so the hub's user needs write access there");
        }
    }

    /** PF4J silently ignores a zip it cannot read; say so. */
    private static void reportUnexpandedZips(Path dir, List<PluginProblem> problems) {
        List<Path> zips;
        try (Stream<Path> files = Files.list(dir)) {
            zips = files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list plugins directory " + dir, e);
        }
        for (Path zip : zips) {
            String name = zip.getFileName().toString();
            Path expanded = zip.resolveSibling(name.substring(0, name.length() - ".zip".length()));
            if (!Files.isDirectory(expanded)) {
                problems.add(new PluginProblem(name, "cannot be expanded; is it a valid zip?"));
            }
        }
    }

    /** Starts one plugin with its class loader as TCCL; reports and returns false when it cannot. */
    private static boolean start(HostPluginManager manager, PluginWrapper plugin, String systemVersion,
            List<PluginProblem> problems) {
        String id = plugin.getPluginId();
        PluginState state = plugin.getPluginState();
        if (state.isDisabled()) {
            if (plugin.getFailedException() != null) {
                problems.add(new PluginProblem(id, "requires hub version " + plugin.getDescriptor().getRequires()
                        + ", this hub is " + systemVersion));
            } else {
                LOG.info("Plugin {} is disabled in the plugins directory", id);
            }
            return false;
        }
        if (!manager.getResolvedPlugins().contains(plugin)) {
            problems.add(new PluginProblem(id, "its plugin dependencies are not met: " + dependencies(plugin)));
            return false;
        }
        String pluginClass = plugin.getDescriptor().getPluginClass();
        try {
            Class<?> type = Class.forName(pluginClass, false, plugin.getPluginClassLoader());
            if (!Plugin.class.isAssignableFrom(type) || Modifier.isAbstract(type.getModifiers())) {
                problems.add(new PluginProblem(id, "plugin.class " + pluginClass + " is not a concrete "
                        + Plugin.class.getName()));
                return false;
            }
        } catch (ClassNotFoundException | LinkageError e) {
            problems.add(new PluginProblem(id, "plugin.class " + pluginClass + " cannot be loaded from the plugin: "
                    + describe(e)));
            return false;
        }
        PluginState started = PluginBoundary.call(plugin.getPluginClassLoader(), () -> manager.startPlugin(id));
        if (!started.isStarted()) {
            Throwable failure = plugin.getFailedException();
            problems.add(new PluginProblem(id, "failed to start: "
                    + (failure == null ? "state " + started : describe(failure))));
            return false;
        }
        return true;
    }

    /**
     * Adds a started plugin's connector factories; returns false (after reporting why) when the plugin
     * contributes none, so that it is unloaded.
     */
    private static boolean collectConnectors(HostPluginManager manager, PluginWrapper plugin,
            Map<String, ConnectorFactory> factories, Map<String, PluginInfo> infos, List<PluginProblem> problems) {
        String pluginId = plugin.getPluginId();
        ClassLoader loader = plugin.getPluginClassLoader();
        List<ConnectorFactory> found;
        try {
            found = PluginBoundary.call(loader, () -> manager.getExtensions(ConnectorFactory.class, pluginId));
        } catch (RuntimeException | LinkageError e) {
            problems.add(new PluginProblem(pluginId, "cannot create its connector factory: " + describe(e)));
            return false;
        }
        if (found.isEmpty()) {
            problems.add(new PluginProblem(pluginId, "provides no " + ConnectorFactory.class.getSimpleName()
                    + " extension (is META-INF/extensions.idx missing from its classes, or does it bundle hub-api?)"));
            return false;
        }
        boolean any = false;
        for (ConnectorFactory raw : found) {
            ConnectorFactory factory = PluginBoundary.wrap(ConnectorFactory.class, raw, loader);
            String connectorId;
            Set<Capability> capabilities;
            String description;
            try {
                connectorId = Objects.requireNonNull(factory.id(), "id() returned null");
                Objects.requireNonNull(factory.connectorType(), "connectorType() returned null");
                capabilities = Objects.requireNonNull(factory.capabilities(), "capabilities() returned null");
                description = factory.description();
            } catch (RuntimeException | LinkageError e) {
                problems.add(new PluginProblem(pluginId, "connector factory " + raw.getClass().getName()
                        + " is unusable: " + describe(e)));
                continue;
            }
            PluginInfo existing = infos.get(connectorId);
            if (existing != null) {
                problems.add(new PluginProblem(pluginId, "connector id '" + connectorId
                        + "' is already provided by plugin " + existing.pluginId()));
                continue;
            }
            String version = plugin.getDescriptor().getVersion();
            warnOnOwnVersion(factory, pluginId, version);
            factories.put(connectorId, factory);
            infos.put(connectorId, new PluginInfo(pluginId, version, connectorId,
                    description == null || description.isBlank() ? plugin.getDescriptor().getPluginDescription()
                            : description,
                    capabilities, sourceOf(plugin.getPluginPath())));
            any = true;
        }
        return any;
    }

    /** The descriptor's version is the plugin's version; a factory that claims another one is only noted. */
    @SuppressWarnings("deprecation")
    private static void warnOnOwnVersion(ConnectorFactory factory, String pluginId, String version) {
        String own;
        try {
            own = factory.version();
        } catch (RuntimeException | LinkageError e) {
            return;
        }
        if (own != null && !own.equals(version)) {
            LOG.warn("Plugin {}: its connector factory says version {}, its descriptor (plugin.version) {}; the hub "
                    + "reports {} (ConnectorFactory.version() is deprecated, remove it)", pluginId, own, version, version);
        }
    }

    /** The zip a plugin folder was expanded from, when it is still there. */
    private static Path sourceOf(Path pluginPath) {
        Path zip = pluginPath.resolveSibling(pluginPath.getFileName() + ".zip");
        return Files.isRegularFile(zip) ? zip : pluginPath;
    }

    private static String dependencies(PluginWrapper plugin) {
        return plugin.getDescriptor().getDependencies().stream()
                .map(d -> d.getPluginId() + "@" + d.getPluginVersionSupport())
                .collect(Collectors.joining(", "));
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        String text = e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
        Throwable cause = e.getCause();
        return cause == null || cause == e ? text : text + " (caused by " + describe(cause) + ")";
    }

    /**
     * PF4J's default manager, adjusted for the hub: always deployment mode (zips, never the
     * development layout); load failures recorded as problems instead of only logged; plugins with
     * unmet dependencies dropped and reported instead of failing the whole load; and every plugin
     * unloaded with its own class loader as TCCL, since {@code Plugin.stop()} is plugin code.
     */
    private static final class HostPluginManager extends DefaultPluginManager {

        private final List<PluginProblem> problems;

        HostPluginManager(Path pluginsDir, List<PluginProblem> problems) {
            super(pluginsDir);
            this.problems = problems;
            setResolveRecoveryStrategy(ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE);
        }

        @Override
        public RuntimeMode getRuntimeMode() {
            return RuntimeMode.DEPLOYMENT;
        }

        @Override
        protected PluginWrapper loadPluginFromPath(Path pluginPath) {
            try {
                PluginWrapper plugin = super.loadPluginFromPath(pluginPath);
                if (plugin == null) {
                    problems.add(new PluginProblem(pluginPath.getFileName().toString(),
                            "cannot be expanded; is it a valid zip?"));
                }
                return plugin;
            } catch (RuntimeException | LinkageError e) {
                problems.add(new PluginProblem(sourceOf(pluginPath).getFileName().toString(),
                        "cannot be loaded: " + describe(e)));
                return null;
            }
        }

        @Override
        protected void resolvePlugins() {
            Map<String, PluginWrapper> before = new HashMap<>(plugins);
            super.resolvePlugins();
            before.forEach((id, plugin) -> {
                if (!plugins.containsKey(id)) {
                    problems.add(new PluginProblem(id, "its plugin dependencies are not met: " + dependencies(plugin)));
                }
            });
        }

        @Override
        protected boolean unloadPlugin(String pluginId, boolean unloadDependents, boolean resolveDependencies) {
            ClassLoader loader = getPluginClassLoaders().get(pluginId);
            try {
                return loader == null ? super.unloadPlugin(pluginId, unloadDependents, resolveDependencies)
                        : PluginBoundary.call(loader,
                                () -> super.unloadPlugin(pluginId, unloadDependents, resolveDependencies));
            } catch (RuntimeException e) {
                LOG.warn("Cannot unload plugin {}: {}", pluginId, describe(e));
                return false;
            }
        }
    }
}
