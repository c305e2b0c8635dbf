package dev.intake.app.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextCleanupTest {

    @Test
    void aBodyGetsLineFeedsForEveryKindOfLineEnd() {
        assertThat(TextCleanup.body("one\r\ntwo\rthree\nfour\r\n")).isEqualTo("one\ntwo\nthree\nfour\n");
        assertThat(TextCleanup.body("\r\r\n\n")).isEqualTo("\n\n\n");
        assertThat(TextCleanup.body("ends in a carriage return\r")).isEqualTo("ends in a carriage return\n");
    }

    @Test
    void aBodyKeepsTabsAndLineFeedsAndReplacesOtherControlCharacters() {
        assertThat(TextCleanup.body("a\tb\nc\u0000d\u0007e\u007Ff\u0085g\u009Fh\u00A0i"))
                .isEqualTo("a\tb\nc\uFFFDd\uFFFDe\uFFFDf\uFFFDg\uFFFDh\u00A0i");
        assertThat(TextCleanup.body("\u0000")).isEqualTo("\uFFFD");
        assertThat(TextCleanup.body("\u0001\r\n\u0002")).isEqualTo("\uFFFD\n\uFFFD");
    }

    @Test
    void aBodyWithNothingToChangeIsReturnedAsItIs() {
        String text = "Grüße,\n\tné ☃ 𝄞\nthe end";
        assertThat(TextCleanup.body(text)).isSameAs(text);
        assertThat(TextCleanup.body("")).isEmpty();
    }

    @Test
    void aLineBecomesOneLineWithSingleSpaces() {
        assertThat(TextCleanup.line("  a\r\n b\t\u0000c\u00A0 d  ")).isEqualTo("a b c d");
    }
}
