package dev.intake.app.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 2047 subjects and names as mailers really write them, parsed through {@link MailParser}. */
class EncodedHeaderTest {

    private final MailParser parser = new MailParser();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            Q, UTF-8                       | =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=                                  | Grüße aus Köln
            B, UTF-8                       | =?utf-8?B?0J/RgNC40LLQtdGCINC80LjRgA==?=                                  | Привет мир
            B without padding              | =?utf-8?B?SGVsbG8?=                                                        | Hello
            multi-word, space dropped      | =?UTF-8?Q?Rechnung_Nr=2E?= =?UTF-8?Q?_4711?=                              | Rechnung Nr. 4711
            mixed charsets                 | =?ISO-8859-1?Q?Caf=E9?= und =?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=           | Café und 日本語
            split multibyte character      | =?UTF-8?B?5pel5pys?= =?UTF-8?B?6Kqe?=                                    | 日本語
            split in the middle of a char  | =?UTF-8?Q?Gr=C3?= =?UTF-8?Q?=BC=C3=9Fe?=                                 | Grüße
            plain text around words        | Re: =?UTF-8?Q?=E2=82=AC_100?= refund                                      | Re: € 100 refund
            Outlook Korean                 | =?ks_c_5601-1987?B?vsiz58fPvLy/5A==?=                                     | 안녕하세요
            windows spelling               | =?windows1252?Q?=80_5?=                                                     | € 5
            UTF-7                          | =?unicode-1-1-utf-7?Q?Hi_+ZeVnLIqe-?=                                     | Hi 日本語
            unknown charset                | =?x-martian?Q?caf=E9?=                                                      | café
            language suffix (RFC 2231)     | =?utf-8*en?Q?Hello?=                                                        | Hello
            broken base64 stays readable   | Info =?utf-8?B?!!!?= end                                                    | Info =?utf-8?B?!!!?= end
            not an encoded word            | 50% off =? really                                                            | 50% off =? really
            """)
    void subjects(String description, String header, String expected) {
        ParsedMail mail = parser.parse(RawMail.of("From: a@example.com\nSubject: " + header + "\n\nx\n"),
                new ParseLimits(1024));

        assertThat(mail.subject()).as(description).isEqualTo(expected);
    }

    @Test
    void foldedEncodedSubject() {
        ParsedMail mail = parser.parse(RawMail.of("""
                From: a@example.com
                Subject: =?UTF-8?Q?Bestellung_=C3=BCber?=
                 =?UTF-8?Q?_zwei_Zeilen?=

                x
                """), new ParseLimits(1024));

        assertThat(mail.subject()).isEqualTo("Bestellung über zwei Zeilen");
    }

    @Test
    void rawLatin1BytesInASubjectAreRead() {
        byte[] raw = RawMail.start()
                .text("From: a@example.com\nSubject: Grüße, señor\n\nx\n", StandardCharsets.ISO_8859_1)
                .build();

        assertThat(parser.parse(raw, new ParseLimits(1024)).subject()).isEqualTo("Grüße, señor");
    }

    @Test
    void encodedDisplayNamesInAddresses() {
        ParsedMail mail = parser.parse(RawMail.of("""
                From: =?ISO-8859-1?Q?J=FCrgen_M=FCller?= <juergen@example.de>
                To: =?ks_c_5601-1987?B?sO2wtA==?= <kim@example.kr>, "=?utf-8?Q?Z=C3=B6e?=" <zoe@example.com>
                Subject: names

                x
                """), new ParseLimits(1024));

        assertThat(mail.from()).contains(new MailAddress("juergen@example.de", Optional.of("Jürgen Müller")));
        assertThat(mail.to()).containsExactly(
                new MailAddress("kim@example.kr", Optional.of("고객")),
                new MailAddress("zoe@example.com", Optional.of("Zöe")));
    }

    @Test
    void unparseableAddressHeaderStillYieldsTheAddress() {
        ParsedMail mail = parser.parse(RawMail.of("""
                From: Broken "Quote <broken@example.com>
                Subject: sloppy

                x
                """), new ParseLimits(1024));

        assertThat(mail.from()).map(MailAddress::address).contains("broken@example.com");
    }
}
