package dev.intake.app.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MailParserBodyTest {

    private static final ParseLimits LIMITS = new ParseLimits(1024 * 1024);
    private final MailParser parser = new MailParser();

    @Test
    void plainMailGivesEnvelopeAndText() throws Exception {
        byte[] raw = RawMail.of("""
                Return-Path: <alice@example.com>
                Message-ID:   <CAF1234.5678@mail.example.com>
                Date: Mon, 3 Mar 2025 10:15:30 +0100
                From: Alice Example <Alice@Example.com>
                Reply-To: "Alice (desk)" <alice.desk@example.com>
                To: support@contoso.com, "Bob" <bob@contoso.com>
                Cc: carol@example.org
                Subject: Printer on floor 3
                 is jammed
                MIME-Version: 1.0
                Content-Type: text/plain; charset=us-ascii

                Hello,

                the printer is jammed again.
                Alice
                """);

        ParsedMail mail = parser.parse(new ByteArrayInputStream(raw), LIMITS);

        assertThat(mail.messageId()).contains("<CAF1234.5678@mail.example.com>");
        assertThat(mail.fingerprint()).isEqualTo(PartContent.sha256Hex(raw)).hasSize(64);
        assertThat(mail.subject()).isEqualTo("Printer on floor 3 is jammed");
        assertThat(mail.from()).contains(new MailAddress("Alice@Example.com", Optional.of("Alice Example")));
        assertThat(mail.replyTo()).containsExactly(new MailAddress("alice.desk@example.com", Optional.of("Alice (desk)")));
        assertThat(mail.to()).containsExactly(MailAddress.of("support@contoso.com"),
                new MailAddress("bob@contoso.com", Optional.of("Bob")));
        assertThat(mail.cc()).containsExactly(MailAddress.of("carol@example.org"));
        assertThat(mail.date()).contains(Instant.parse("2025-03-03T09:15:30Z"));
        assertThat(mail.textBody()).isEqualTo("Hello,\n\nthe printer is jammed again.\nAlice");
        assertThat(mail.htmlBody()).isEmpty();
        assertThat(mail.attachments()).isEmpty();
        assertThat(mail.contentType()).isEqualTo("text/plain");
        assertThat(mail.malformed()).isFalse();
        assertThat(mail.warnings()).isEmpty();
        assertThat(mail.headers().first(MailHeaders.RETURN_PATH)).contains("<alice@example.com>");
        assertThat(mail.requester(true)).contains(mail.replyTo().get(0));
        assertThat(mail.requester(false)).isEqualTo(mail.from());
    }

    @Test
    void replyHeadersGiveNormalizedIds() {
        ParsedMail mail = parser.parse(RawMail.of("""
                From: a@example.com
                Subject: Re: x
                In-Reply-To: Your message of Tue, 4 Mar 2025 <orig.1@contoso.com>
                References: <root.0@contoso.com>
                  <orig.1@contoso.com> <
                 wrapped.2@example.com>

                ok
                """), LIMITS);

        assertThat(mail.inReplyTo()).contains("<orig.1@contoso.com>");
        assertThat(mail.references()).containsExactly("<root.0@contoso.com>", "<orig.1@contoso.com>",
                "<wrapped.2@example.com>");
    }

    @Test
    void unparseableDateAndMissingMessageIdAreEmpty() {
        ParsedMail mail = parser.parse(RawMail.of("""
                From: a@example.com
                Date: the day before yesterday
                Subject: no id

                body
                """), LIMITS);

        assertThat(mail.date()).isEmpty();
        assertThat(mail.messageId()).isEmpty();
        assertThat(mail.fingerprint()).hasSize(64);
    }

    @Test
    void htmlOnlyMailGetsTextMadeFromTheHtml() {
        ParsedMail mail = parser.parse(RawMail.of("""
                From: a@example.com
                Subject: html
                Content-Type: text/html; charset=utf-8

                <html><head><title>ignored title</title><style>p{color:red}</style></head>
                <body><h1>Order 42</h1><p>Dear support,</p><p>the <b>invoice</b> is
                wrong.<br>Line two</p><ul><li>first</li><li>second</li></ul>
                <p>See <a href="https://shop.example.com/o/42">the order</a>.</p>
                <table><tr><td>Qty</td><td>2</td></tr></table></body></html>
                """), LIMITS);

        assertThat(mail.textBody()).isEqualTo("""
                Order 42

                Dear support,

                the invoice is wrong.
                Line two

                - first
                - second

                See the order <https://shop.example.com/o/42>.

                Qty\t2""");
        assertThat(mail.htmlBody()).hasValueSatisfying(html -> {
            assertThat(html).contains("<h1>Order 42</h1>", "<b>invoice</b>");
            assertThat(html).doesNotContain("style", "title");
        });
    }

    @Test
    void multipartAlternativeKeepsPlainTextAndSanitizedHtml() {
        ParsedMail mail = parser.parse(RawMail.of("""
                From: a@example.com
                Subject: alt
                MIME-Version: 1.0
                Content-Type: multipart/alternative; boundary="b1"

                --b1
                Content-Type: text/plain; charset=utf-8

                Plain wins.
                --b1
                Content-Type: text/html; charset=utf-8

                <p onclick="steal()">Rich <i>text</i></p><script>alert(1)</script>
                --b1--
                """), LIMITS);

        assertThat(mail.textBody()).isEqualTo("Plain wins.");
        assertThat(mail.htmlBody()).contains("<p>Rich <i>text</i></p>");
        assertThat(mail.contentType()).isEqualTo("multipart/alternative");
        assertThat(mail.attachments()).isEmpty();
    }

    @Test
    void appleStyleBodySplitAroundAnImageKeepsAllText() {
        ParsedMail mail = parser.parse(RawMail.of("""
                From: a@example.com
                Subject: split
                Content-Type: multipart/mixed; boundary=m

                --m
                Content-Type: text/plain; charset=us-ascii

                Before the picture.
                --m
                Content-Type: image/png; name=shot.png
                Content-Disposition: inline; filename=shot.png
                Content-Transfer-Encoding: base64

                iVBORw0KGgo=
                --m
                Content-Type: text/plain; charset=us-ascii

                After the picture.
                --m--
                """), LIMITS);

        assertThat(mail.textBody()).isEqualTo("Before the picture.\nAfter the picture.");
        assertThat(mail.attachments()).extracting(Attachment::fileName).containsExactly("shot.png");
    }

    @Test
    void iso88591Body() {
        ParsedMail mail = parseBody("text/plain; charset=ISO-8859-1", "8bit",
                "Grüße aus Köln, à bientôt".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(mail.textBody()).isEqualTo("Grüße aus Köln, à bientôt");
    }

    @Test
    void windows1252BodyWithEuroAndCurlyQuotes() {
        ParsedMail mail = parseBody("text/plain; charset=windows-1252", "8bit",
                "Price: 20 € – it’s ‘fine’".getBytes(Charset.forName("windows-1252")));

        assertThat(mail.textBody()).isEqualTo("Price: 20 € – it’s ‘fine’");
    }

    @Test
    void windows1252BytesLabelledIso88591AreReadAsBrowsersDo() {
        ParsedMail mail = parseBody("text/plain; charset=iso-8859-1", "8bit",
                "20 € and it’s".getBytes(Charset.forName("windows-1252")));

        assertThat(mail.textBody()).isEqualTo("20 € and it’s");
    }

    @Test
    void iso2022JpBody() {
        ParsedMail mail = parseBody("text/plain; charset=ISO-2022-JP", "7bit",
                "お問い合わせありがとうございます。".getBytes(Charset.forName("ISO-2022-JP")));

        assertThat(mail.textBody()).isEqualTo("お問い合わせありがとうございます。");
    }

    @Test
    void quotedPrintableUtf8Body() {
        ParsedMail mail = parseBody("text/plain; charset=utf-8", "quoted-printable",
                "Gr=C3=BC=C3=9Fe, a long line that is =\nsoft-wrapped".getBytes(StandardCharsets.US_ASCII));

        assertThat(mail.textBody()).isEqualTo("Grüße, a long line that is soft-wrapped");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ks_c_5601-1987   | x-windows-949 | 안녕하세요 고객님
            ISO-8859-8-I     | ISO-8859-8    | שלום עולם
            cp1252           | windows-1252  | 10 € ‘quoted’
            win-1252         | windows-1252  | 10 € ‘quoted’
            windows1252      | windows-1252  | 10 € ‘quoted’
            "windows-1252"   | windows-1252  | 10 € ‘quoted’
            WINDOWS-1251     | windows-1251  | Привет
            shift_jis        | windows-31j   | ①番の件です
            gb2312           | GBK           | 你好世界
            """)
    void mislabelledCharsetsAreMapped(String label, String actualCharset, String text) {
        ParsedMail mail = parseBody("text/plain; charset=" + label, "8bit", text.getBytes(Charset.forName(actualCharset)));

        assertThat(mail.textBody()).isEqualTo(text);
        assertThat(mail.warnings()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            utf-7             | Hi Mom -+Jjo--! +AKM-1 +ZeVnLIqe-
            unicode-1-1-utf-7 | Hi Mom -+Jjo--! +AKM-1 +ZeVnLIqe-
            """)
    void utf7BodiesAreDecoded(String label, String encoded) {
        ParsedMail mail = parseBody("text/plain; charset=" + label, "7bit", encoded.getBytes(StandardCharsets.US_ASCII));

        assertThat(mail.textBody()).isEqualTo("Hi Mom -☺-! £1 日本語");
    }

    @Test
    void unknownCharsetIsReadAsLatin1WithAWarning() {
        ParsedMail mail = parseBody("text/plain; charset=x-martian-42", "8bit",
                "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(mail.textBody()).isEqualTo("café");
        assertThat(mail.warnings()).containsExactly("unknown charset 'x-martian-42'; read as ISO-8859-1");
        assertThat(mail.malformed()).isFalse();
    }

    @Test
    void missingCharsetWithValidUtf8IsUtf8() {
        ParsedMail mail = parseBody("text/plain", "8bit", "Grüße – 日本".getBytes(StandardCharsets.UTF_8));

        assertThat(mail.textBody()).isEqualTo("Grüße – 日本");
    }

    @Test
    void missingCharsetWithLatin1BytesIsLatin1() {
        ParsedMail mail = parseBody("text/plain", "8bit", "Grüße, señor".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(mail.textBody()).isEqualTo("Grüße, señor");
    }

    @Test
    void asciiLabelOverUtf8BytesIsReadAsUtf8() {
        ParsedMail mail = parseBody("text/plain; charset=us-ascii", "8bit", "naïve".getBytes(StandardCharsets.UTF_8));

        assertThat(mail.textBody()).isEqualTo("naïve");
    }

    @Test
    void htmlWithoutMimeCharsetUsesItsMetaCharset() {
        byte[] html = "<html><head><meta charset=\"windows-1252\"></head><body><p>Preis: 5 €</p></body></html>"
                .getBytes(Charset.forName("windows-1252"));

        ParsedMail mail = parseBody("text/html", "8bit", html);

        assertThat(mail.textBody()).isEqualTo("Preis: 5 €");
    }

    @Test
    void controlCharactersAndNulNeverReachTheTicket() {
        ParsedMail mail = parseBody("text/plain; charset=utf-8", "8bit",
                "a\u0000b\u0007c\r\nd\re\tf".getBytes(StandardCharsets.UTF_8));

        assertThat(mail.textBody()).isEqualTo("a\uFFFDb\uFFFDc\nd\ne\tf");
    }

    @Test
    void noBodyAtAllIsAnEmptyText() {
        ParsedMail mail = parser.parse(RawMail.of("From: a@example.com\nSubject: empty\n\n"), LIMITS);

        assertThat(mail.textBody()).isEmpty();
        assertThat(mail.htmlBody()).isEmpty();
        assertThat(mail.malformed()).isFalse();
    }

    @Test
    void rawUtf8InHeadersIsDecoded() {
        byte[] raw = RawMail.start()
                .text("From: Jürgen Müller <j@example.de>\nSubject: Größe ändern\n\nx\n", StandardCharsets.UTF_8)
                .build();

        ParsedMail mail = parser.parse(raw, LIMITS);

        assertThat(mail.subject()).isEqualTo("Größe ändern");
        assertThat(mail.from()).contains(new MailAddress("j@example.de", Optional.of("Jürgen Müller")));
    }

    @Test
    void toStringCarriesNoBody() {
        ParsedMail mail = parseBody("text/plain", "8bit", "secret body text".getBytes(StandardCharsets.UTF_8));

        assertThat(mail.toString()).doesNotContain("secret body text").contains("subject=charset test");
    }

    private ParsedMail parseBody(String contentType, String transferEncoding, byte[] body) {
        byte[] raw = RawMail.start()
                .text("From: a@example.com\nSubject: charset test\nMIME-Version: 1.0\nContent-Type: " + contentType
                        + "\nContent-Transfer-Encoding: " + transferEncoding + "\n\n")
                .bytes(body)
                .build();
        ParsedMail mail = parser.parse(raw, LIMITS);
        assertThat(mail.malformed()).as("malformed: %s", mail.malformedReason()).isFalse();
        assertThat(List.of(mail.subject())).containsExactly("charset test");
        return mail;
    }
}
