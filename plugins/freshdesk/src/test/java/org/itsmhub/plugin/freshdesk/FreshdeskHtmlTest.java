package org.itsmhub.plugin.freshdesk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.itsmhub.plugin.support.json.JsonCodec;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Plain text to Freshdesk HTML and back, on the hub's own texts and on real Freshdesk bodies. */
class FreshdeskHtmlTest {

    @Test
    void paragraphsLineBreaksListsLinksAndEscapingBecomeHtml() {
        String text = "Hello Anna,\n\nplease try:\n- restart <the> laptop\n- log in again\n\n1. one\n2. two\n\n"
                + "Details: https://status.example.com/incidents/42. Thanks & bye";

        assertThat(FreshdeskHtml.toHtml(text)).isEqualTo("<p>Hello Anna,</p><p>please try:<br>- restart &lt;the&gt; "
                + "laptop<br>- log in again</p><ol><li>one</li><li>two</li></ol><p>Details: "
                + "<a href=\"https://status.example.com/incidents/42\">https://status.example.com/incidents/42</a>. "
                + "Thanks &amp; bye</p>");
        assertThat(FreshdeskHtml.toHtml("- a\n- b")).isEqualTo("<ul><li>a</li><li>b</li></ul>");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ordering laptop\n\n— admin, via servicenow",
            "Line one\nLine two\n\nNew paragraph with <tags> & \"quotes\" and 'apostrophes'",
            "Steps:\n\n- first\n- second\n\n1. one\n2. two\n\nSee https://example.com/a?b=1&c=2 for more",
            "Trailing marker\n\n— Ann, via jira\u200D\u200B\u200C\u200C\u200B\u200D",
            "Grüße, “smart quotes” and 日本語"})
    void whatTheHubWritesReadsBackAsTheSameText(String text) {
        assertThat(FreshdeskHtml.toText(FreshdeskHtml.toHtml(text))).isEqualTo(text);
    }

    @Test
    void theNoteLosingItsLineBreaksInIssue11KeepsThem() {
        String html = "<p>admin wrote:</p>" + FreshdeskHtml.toHtml("ordering laptop\n\n— admin, via servicenow");

        assertThat(FreshdeskHtml.toText(html)).isEqualTo("admin wrote:\n\nordering laptop\n\n— admin, via servicenow");
    }

    @Test
    void realConversationBodiesReadAsTheirText() {
        JsonNode conversations = JsonCodec.readTree(VendorTestData.read("freshdesk",
                "python-freshdesk_v2_conversations.json"), "fixture");
        for (JsonNode c : conversations) {
            assertThat(FreshdeskHtml.toText(c.get("body").asText())).isEqualTo(c.get("body_text").asText());
        }
    }

    @Test
    void aLegacyNoteWithNestedDivsAndStylesReadsAsOneLine() {
        JsonNode legacy = JsonCodec.readTree(VendorTestData.read("freshdesk",
                "python-freshdesk_v1_legacy_ticket_1.json"), "fixture");
        String html = legacy.get("helpdesk_ticket").get("notes").get(0).get("note").get("body_html").asText();

        assertThat(FreshdeskHtml.toText(html)).isEqualTo("This is a reply.");
    }

    @Test
    void aRealMultiLineBodyWithBreaksListsAndBoldKeepsItsStructure() {
        JsonNode articles = JsonCodec.readTree(VendorTestData.read("freshdesk",
                "python-freshdesk_v2_solution_articles_fr.json"), "fixture");

        String first = FreshdeskHtml.toText(articles.get(0).get("description").asText());
        assertThat(first).startsWith("Update your account details like name, email address, phone number or address, "
                + "anytime by following these steps:\n\n1. Select account details from the menu bar.\n2. Click edit "
                + "icon on the field you'd like to change.\n");
        assertThat(first).contains("\n5. You will receive an email from us to verify the changes.\n\nIn case you have "
                + "forgotten your password, click on the forgot password button and follow the instructions there.\n\n"
                + "Note: Once you verify");
        String second = FreshdeskHtml.toText(articles.get(1).get("description").asText());
        assertThat(second).contains("The different payment channels supported at Saul’s are -\n\n- Google Pay\n"
                + "- PayPal\n- WePay\n\nNote: We also offer cash on delivery.");
    }

    @Test
    void entitiesCommentsScriptsAndLinksAreReadAsAPersonSeesThem() {
        assertThat(FreshdeskHtml.toText("<div>a&nbsp;&amp;&#160;b &lt;c&gt; &#x263A; &eacute;</div>"
                + "<!-- hidden --><script>alert(1)</script><div><a href=\"https://x.example/p?a=1&amp;b=2\">the page</a>"
                + "</div><div><br></div><div>after a blank line</div>"))
                .isEqualTo("a & b <c> \u263A &eacute;\nthe page (https://x.example/p?a=1&b=2)\n\nafter a blank line");
    }
}
