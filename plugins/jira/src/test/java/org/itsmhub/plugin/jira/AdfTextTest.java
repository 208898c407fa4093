package org.itsmhub.plugin.jira;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class AdfTextTest {

    @Test
    void paragraphsHardBreaksListsAndLinksSurviveARoundTrip() {
        String text = "Hello team,\nthe printer is down.\n\n- first check\n- then see https://kb.acme.example/p?id=1\n\n"
                + "1. Open tray\n2. Remove paper\n  - gently\n\nThanks";

        JsonNode adf = AdfText.fromText(text);

        assertThat(AdfText.toText(adf)).isEqualTo(text);
    }

    @Test
    void textBecomesTheAdfStructureJiraExpects() {
        JsonNode adf = AdfText.fromText("One\ntwo\n\n- a https://x.example\n\n3. c");

        assertThat(adf.path("type").asText()).isEqualTo("doc");
        assertThat(adf.path("version").asInt()).isEqualTo(1);
        JsonNode p = adf.path("content").get(0);
        assertThat(p.path("type").asText()).isEqualTo("paragraph");
        assertThat(p.path("content").get(1).path("type").asText()).isEqualTo("hardBreak");
        JsonNode list = adf.path("content").get(1);
        assertThat(list.path("type").asText()).isEqualTo("bulletList");
        JsonNode link = list.path("content").get(0).path("content").get(0).path("content").get(1);
        assertThat(link.path("text").asText()).isEqualTo("https://x.example");
        assertThat(link.path("marks").get(0).path("attrs").path("href").asText()).isEqualTo("https://x.example");
        JsonNode ordered = adf.path("content").get(2);
        assertThat(ordered.path("type").asText()).isEqualTo("orderedList");
        assertThat(ordered.path("attrs").path("order").asInt()).isEqualTo(3);
    }

    @Test
    void richAdfReadsAsPlainTextWithLinkTargetsKept() {
        JsonNode adf = JiraStubs.json("""
                {"type":"doc","version":1,"content":[
                  {"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Outage"}]},
                  {"type":"paragraph","content":[
                    {"type":"text","text":"Hi "},
                    {"type":"mention","attrs":{"id":"557058:x","text":"@Andy"}},
                    {"type":"text","text":", see ","marks":[{"type":"strong"}]},
                    {"type":"text","text":"status page","marks":[{"type":"link","attrs":{"href":"https://status.acme.example"}}]},
                    {"type":"hardBreak"},
                    {"type":"emoji","attrs":{"shortName":":smile:","text":"😄"}}]},
                  {"type":"bulletList","content":[
                    {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"a"}]},
                      {"type":"orderedList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"a1"}]}]}]}]}]},
                  {"type":"codeBlock","content":[{"type":"text","text":"lpstat -p"}]},
                  {"type":"rule"}]}
                """);

        assertThat(AdfText.toText(adf)).isEqualTo(
                "Outage\n\nHi @Andy, see status page (https://status.acme.example)\n😄\n\n- a\n  1. a1\n\nlpstat -p\n\n---");
    }

    @Test
    void aPlainStringBodyAndNullAreAcceptedAsTheyAre() {
        assertThat(AdfText.toText(JiraStubs.json("\"Main order flow broken\""))).isEqualTo("Main order flow broken");
        assertThat(AdfText.toText(null)).isNull();
        assertThat(AdfText.fromText(null)).isNull();
        assertThat(AdfText.toText(AdfText.fromText(""))).isEmpty();
    }
}
