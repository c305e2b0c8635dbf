package dev.intake.app.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The examples of RFC 2152 and the edge cases around them. */
class Utf7Test {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            A+ImIDkQ.                  | A≢Α.
            Hi Mom -+Jjo--!            | Hi Mom -☺-!
            +ZeVnLIqe-                 | 日本語
            Item 3 is +AKM-1.          | Item 3 is £1.
            1 +- 1 = 2                 | 1 + 1 = 2
            +2D3eAA- (surrogate pair)  | 😀 (surrogate pair)
            plain ASCII only           | plain ASCII only
            +ZeVnLIqe                  | 日本語
            'trailing plus +'          | 'trailing plus '
            """)
    void decodes(String encoded, String expected) {
        assertThat(Utf7.decode(encoded.getBytes(StandardCharsets.US_ASCII))).isEqualTo(expected);
    }
}
