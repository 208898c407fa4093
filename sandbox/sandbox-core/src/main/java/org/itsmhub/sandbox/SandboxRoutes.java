package org.itsmhub.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The endpoints a sandbox serves: one list that both answers requests and documents them, so that the
 * endpoint tables in {@code docs/sandbox.md} are generated from what the sandbox really dispatches and
 * cannot drift.
 *
 * <p>Routes are tried in the order they were added; the first whose method and path pattern match
 * answers. Patterns use {@code {name}} segments, e.g. {@code /api/v2/tickets/{id}}, whose values reach the
 * handler by name.
 *
 * <pre>{@code
 * private final SandboxRoutes routes = new SandboxRoutes()
 *         .get("/api/v2/tickets", "list tickets, paged by link header", (r, p) -> listTickets(r))
 *         .get("/api/v2/tickets/{id}", "one ticket", (r, p) -> ticket(p.get("id")));
 *
 * protected SandboxResponse handle(SandboxRequest r) {
 *     return routes.dispatch(r).orElseGet(() -> notFound(r));
 * }
 *
 * public SandboxRoutes routes() { return routes; }
 * }</pre>
 *
 * A sandbox module keeps its table in {@code docs/sandbox.md} between the markers of
 * {@link #docsStartMarker(String)} and {@link #docsEndMarker(String)}; a test compares it with
 * {@link #markdownTable()} (see {@code org.itsmhub.testkit.docs.GeneratedDocSection}).
 *
 * @since 0.3 (issue 16: endpoint tables generated from the sandbox)
 */
public final class SandboxRoutes {

    /** Answers one matched request; {@code path} holds the values of the pattern's {@code {name}} segments. */
    @FunctionalInterface
    public interface Handler {
        SandboxResponse handle(SandboxRequest request, Map<String, String> path);
    }

    /** One endpoint: method, path pattern, what it does in one line, and its handler. */
    public record Route(String method, String path, String summary, Handler handler) {
        public Route {
            if (summary == null || summary.isBlank()) {
                throw new IllegalArgumentException(method + " " + path + " needs a summary for the docs");
            }
        }
    }

    private final List<Route> routes = new ArrayList<>();

    public SandboxRoutes add(String method, String path, String summary, Handler handler) {
        routes.add(new Route(method.toUpperCase(java.util.Locale.ROOT), path, summary, handler));
        return this;
    }

    public SandboxRoutes get(String path, String summary, Handler handler) {
        return add("GET", path, summary, handler);
    }

    public SandboxRoutes post(String path, String summary, Handler handler) {
        return add("POST", path, summary, handler);
    }

    public SandboxRoutes put(String path, String summary, Handler handler) {
        return add("PUT", path, summary, handler);
    }

    public SandboxRoutes patch(String path, String summary, Handler handler) {
        return add("PATCH", path, summary, handler);
    }

    public SandboxRoutes delete(String path, String summary, Handler handler) {
        return add("DELETE", path, summary, handler);
    }

    /** The answer of the first route matching the request, or empty when none does. */
    public Optional<SandboxResponse> dispatch(SandboxRequest request) {
        for (Route route : routes) {
            Optional<Map<String, String>> params = request.match(route.method(), route.path());
            if (params.isPresent()) {
                return Optional.of(route.handler().handle(request, params.get()));
            }
        }
        return Optional.empty();
    }

    /** Whether some route has this path pattern with another method (for a vendor's 405). */
    public boolean pathServedByAnotherMethod(SandboxRequest request) {
        return routes.stream().anyMatch(r -> !r.method().equalsIgnoreCase(request.method())
                && request.match(request.method(), r.path()).isPresent());
    }

    public List<Route> list() {
        return List.copyOf(routes);
    }

    /** The routes as a Markdown table (method, path, what it does), in dispatch order. */
    public String markdownTable() {
        StringBuilder sb = new StringBuilder("| method | path | what it does |\n|---|---|---|\n");
        for (Route r : routes) {
            sb.append("| ").append(r.method()).append(" | `").append(r.path()).append("` | ")
                    .append(r.summary().replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }

    public static String docsStartMarker(String vendor) {
        return "<!-- endpoints:" + vendor + ":start (generated from the sandbox's routes) -->";
    }

    public static String docsEndMarker(String vendor) {
        return "<!-- endpoints:" + vendor + ":end -->";
    }
}
