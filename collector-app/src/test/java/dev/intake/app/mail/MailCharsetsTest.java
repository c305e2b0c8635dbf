package dev.intake.app.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MailCharsetsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ks_c_5601-1987 | x-windows-949
            KS_C_5601-1987 | x-windows-949
            euc-kr         | x-windows-949
            ISO-8859-8-I   | ISO-8859-8
            iso-8859-6-e   | ISO-8859-6
            cp1252         | windows-1252
            win-1252       | windows-1252
            windows1252    | windows-1252
            x-cp1250       | windows-1250
            Windows-1257   | windows-1257
            iso-8859-1     | windows-1252
            latin1         | windows-1252
            shift_jis      | windows-31j
            gb2312         | GBK
            utf8           | UTF-8
            ISO-2022-JP    | ISO-2022-JP
            koi8-r         | KOI8-R
            """)
    void resolvesLabelsMailersWrite(String label, String javaName) {
        assertThat(MailCharsets.resolve(label)).contains(Charset.forName(javaName));
    }

    @ParameterizedTest
    @ValueSource(strings = {"utf-7", "x-martian", "bad name with spaces", "\u00e9\u00e9"})
    void unresolvableLabelsGiveNothingAndNeverThrow(String label) {
        assertThat(MailCharsets.resolve(label)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"unknown-8bit", "x-unknown", "  "})
    void noUsefulLabelGuessesUtf8ThenLatin1(String label) {
        assertThat(MailCharsets.decode("Grüße".getBytes(StandardCharsets.UTF_8), label).text()).isEqualTo("Grüße");
        assertThat(MailCharsets.decode("Grüße".getBytes(StandardCharsets.ISO_8859_1), label).text()).isEqualTo("Grüße");
    }

    @Test
    void malformedBytesInAKnownCharsetAreReplacedNotThrown() {
        byte[] broken = {'a', (byte) 0xC3, 'b'};

        assertThat(MailCharsets.decode(broken, "utf-8").text()).isEqualTo("a\uFFFDb");
    }

    @Test
    void unknownLabelWarningShowsTheLabelSafely() {
        MailCharsets.Decoded decoded = MailCharsets.decode("x".getBytes(StandardCharsets.US_ASCII), "evil\r\nlabel");

        assertThat(decoded.warning()).contains("unknown charset 'evil??label'; read as ISO-8859-1");
    }
}
