package org.itsmhub.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SandboxRoutesTest {

    private final SandboxRoutes routes = new SandboxRoutes()
            .get("/api/items", "list items", (r, p) -> SandboxResponse.json(200, "[]"))
            .get("/api/items/{id}", "one item | by id", (r, p) -> SandboxResponse.json(200, "{\"id\":\"" + p.get("id") + "\"}"))
            .post("/api/items", "create an item", (r, p) -> SandboxResponse.json(201, "{}"));

    private static SandboxRequest request(String method, String url) {
        return SandboxRequest.of(method, url, Map.of(), new byte[0]);
    }

    @Test
    void theFirstRouteMatchingMethodAndPathAnswersWithItsPathValues() {
        assertThat(routes.dispatch(request("GET", "/api/items/42?x=1")).orElseThrow().body()).isEqualTo("{\"id\":\"42\"}");
        assertThat(routes.dispatch(request("POST", "/api/items")).orElseThrow().status()).isEqualTo(201);
        assertThat(routes.dispatch(request("GET", "/api/items")).orElseThrow().body()).isEqualTo("[]");
    }

    @Test
    void aRequestNoRouteMatchesIsLeftToTheSandboxWithAHintWhetherAnotherMethodServesIt() {
        assertThat(routes.dispatch(request("GET", "/api/other"))).isEmpty();
        assertThat(routes.dispatch(request("DELETE", "/api/items/1"))).isEmpty();
        assertThat(routes.pathServedByAnotherMethod(request("DELETE", "/api/items/1"))).isTrue();
        assertThat(routes.pathServedByAnotherMethod(request("DELETE", "/api/other"))).isFalse();
    }

    @Test
    void theDocsTableListsEveryRouteInDispatchOrderWithPipesEscaped() {
        assertThat(routes.markdownTable()).isEqualTo("""
                | method | path | what it does |
                |---|---|---|
                | GET | `/api/items` | list items |
                | GET | `/api/items/{id}` | one item \\| by id |
                | POST | `/api/items` | create an item |
                """);
        assertThat(routes.list()).extracting(SandboxRoutes.Route::method).isEqualTo(List.of("GET", "GET", "POST"));
    }

    @Test
    void aRouteWithoutASummaryIsRefusedSoTheDocsNeverHaveAnEmptyRow() {
        assertThatThrownBy(() -> routes.get("/x", " ", (r, p) -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET /x needs a summary");
    }
}
