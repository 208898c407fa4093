package org.itsmhub.runtime.plugin;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.itsmhub.api.connector.Connector;

/**
 * The one place where the hub crosses into plugin code.
 *
 * <p>{@link #wrap} puts a plugin object behind a {@link Proxy} that implements the hub-api interfaces
 * the object implements (for a connector: {@link Connector} and each capability interface). Every
 * call through the proxy runs with the plugin's class loader as thread context class loader and
 * restores the caller's afterwards, also when the plugin throws. Exceptions reach the caller
 * unchanged (not as {@link InvocationTargetException}), so {@code org.itsmhub.api.error} types keep
 * their meaning. Plugin objects a call returns (the {@link Connector} from
 * {@code ConnectorFactory.create}, a capability from {@link Connector#capability}) come back wrapped
 * as well; a call returning the target itself returns the proxy.
 *
 * <p>{@code equals} and {@code hashCode} of a proxy go by the identity of the wrapped object (two
 * proxies of one object are equal); {@code toString} is the plugin object's own.
 */
public final class PluginBoundary {

    private static final ClassLoader API_LOADER = Connector.class.getClassLoader();
    private static final String API_PACKAGE = "org.itsmhub.api.";

    private PluginBoundary() {
    }

    /**
     * Wraps a plugin object so that every call into it runs with {@code pluginLoader} as thread
     * context class loader.
     *
     * @param type         a hub-api interface the target implements; the result is of that type
     * @param target       the plugin object; returned as is when already wrapped
     * @param pluginLoader the class loader of the plugin the object comes from
     */
    public static <T> T wrap(Class<T> type, T target, ClassLoader pluginLoader) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(pluginLoader, "pluginLoader");
        if (!type.isInstance(target)) {
            throw new IllegalArgumentException(target.getClass().getName() + " is not a " + type.getName());
        }
        if (isWrapped(target)) {
            return target;
        }
        Set<Class<?>> interfaces = apiInterfaces(target.getClass());
        if (!interfaces.contains(type) && interfaces.stream().noneMatch(type::isAssignableFrom)) {
            throw new IllegalArgumentException(type.getName() + " is not a hub-api interface seen by the hub"
                    + " (does the plugin bundle its own copy of hub-api?)");
        }
        return type.cast(newProxy(target, interfaces, pluginLoader));
    }

    /** Whether the object is a proxy made by {@link #wrap}. */
    public static boolean isWrapped(Object object) {
        return handlerOf(object) != null;
    }

    /** The plugin class loader a wrapped object's calls run with; empty for anything not wrapped. */
    public static Optional<ClassLoader> pluginClassLoader(Object object) {
        Handler handler = handlerOf(object);
        return handler == null ? Optional.empty() : Optional.of(handler.pluginLoader);
    }

    /**
     * Runs an action with {@code loader} as thread context class loader and restores the previous one
     * afterwards, also when the action throws. For calls into plugin code that do not go through a
     * wrapped object, such as starting a plugin or creating its extensions.
     */
    public static <T> T call(ClassLoader loader, Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** {@link #call} for actions without a result. */
    public static void run(ClassLoader loader, Runnable action) {
        call(loader, () -> {
            action.run();
            return null;
        });
    }

    private static Object newProxy(Object target, Set<Class<?>> interfaces, ClassLoader pluginLoader) {
        return Proxy.newProxyInstance(API_LOADER, interfaces.toArray(Class<?>[]::new),
                new Handler(target, pluginLoader));
    }

    /** Every hub-api interface a class implements, directly or through superclasses. */
    private static Set<Class<?>> apiInterfaces(Class<?> type) {
        Set<Class<?>> result = new LinkedHashSet<>();
        Deque<Class<?>> pending = new ArrayDeque<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            pending.addAll(List.of(c.getInterfaces()));
        }
        while (!pending.isEmpty()) {
            Class<?> candidate = pending.pop();
            if (isApiInterface(candidate)) {
                result.add(candidate);
            } else {
                pending.addAll(List.of(candidate.getInterfaces()));
            }
        }
        return result;
    }

    /** A public interface of hub-api as the hub loaded it (not a copy a plugin bundled). */
    private static boolean isApiInterface(Class<?> type) {
        return type.getName().startsWith(API_PACKAGE) && type.getClassLoader() == API_LOADER
                && Modifier.isPublic(type.getModifiers());
    }

    private static Handler handlerOf(Object object) {
        if (object != null && Proxy.isProxyClass(object.getClass())
                && Proxy.getInvocationHandler(object) instanceof Handler handler) {
            return handler;
        }
        return null;
    }

    private static final class Handler implements InvocationHandler {

        private final Object target;
        private final ClassLoader pluginLoader;

        Handler(Object target, ClassLoader pluginLoader) {
            this.target = target;
            this.pluginLoader = pluginLoader;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                switch (method.getName()) {
                    case "equals":
                        Handler other = handlerOf(args[0]);
                        return other != null && other.target == target;
                    case "hashCode":
                        return System.identityHashCode(target);
                    default:
                        break; // toString: the plugin's own, called like any other method
                }
            }
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(pluginLoader);
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                thread.setContextClassLoader(previous);
            }
            return wrapResult(proxy, method, result);
        }

        private Object wrapResult(Object proxy, Method method, Object result) {
            if (result == null) {
                return null;
            }
            if (result == target) {
                return proxy;
            }
            if (result instanceof Optional<?> optional && optional.isPresent()) {
                Object value = optional.get();
                if (value == target) {
                    return Optional.of(proxy);
                }
                return isPluginObject(value) ? Optional.of(wrapPluginObject(value)) : result;
            }
            if (method.getReturnType().isInterface() && isPluginObject(result)) {
                return wrapPluginObject(result);
            }
            return result;
        }

        private boolean isPluginObject(Object value) {
            return value.getClass().getClassLoader() == pluginLoader && !isWrapped(value);
        }

        private Object wrapPluginObject(Object value) {
            Set<Class<?>> interfaces = apiInterfaces(value.getClass());
            return interfaces.isEmpty() ? value : newProxy(value, interfaces, pluginLoader);
        }
    }
}
