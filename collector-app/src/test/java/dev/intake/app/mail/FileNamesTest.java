package dev.intake.app.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileNamesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            ../../etc/passwd              | passwd
            C:\\Windows\\system32\\x.dll  | x.dll
            CON.txt                       | _CON.txt
            con                           | _con
            lpt1.log                      | _lpt1.log
            Aux.tar.gz                    | _Aux.tar.gz
            console.txt                   | console.txt
            .bashrc                       | bashrc
            'name. . .'                   | name
            'tab\tand\nnewline.txt'       | tabandnewline.txt
            'a   b.txt'                   | a b.txt
            report?.pdf                   | report_.pdf
            '...'                         | ''
            """)
    void makesNamesSafe(String proposed, String expected) {
        assertThat(FileNames.safe(proposed.replace("\\t", "\t").replace("\\n", "\n"))).isEqualTo(expected);
    }

    @Test
    void bidiOverrideCannotDisguiseAnExtension() {
        assertThat(FileNames.safe("invoice\u202Efdp.exe")).isEqualTo("invoicefdp.exe");
    }

    @Test
    void longNamesAreCutKeepingTheExtension() {
        String name = FileNames.safe("ä".repeat(300) + ".pdf");

        assertThat(name).endsWith(".pdf").startsWith("ää");
        assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FileNames.MAX_BYTES);
    }

    @Test
    void unnamedPartsAreNumberedWithAnExtensionFromTheirType() {
        FileNames names = new FileNames();

        assertThat(names.next(null, "image/png")).isEqualTo("attachment-1.png");
        assertThat(names.next("", "application/pdf")).isEqualTo("attachment-2.pdf");
        assertThat(names.next("  ", "application/x-unheard-of")).isEqualTo("attachment-3.bin");
        assertThat(names.next(null, "text/x-log")).isEqualTo("attachment-4.txt");
    }

    @Test
    void messagesAlwaysEndInEml() {
        FileNames names = new FileNames();

        assertThat(names.next("Your order", "message/rfc822", "eml")).isEqualTo("Your order.eml");
        assertThat(names.next("saved.EML", "message/rfc822", "eml")).isEqualTo("saved.EML");
        assertThat(names.next(null, "message/rfc822", "eml")).isEqualTo("attachment-1.eml");
    }

    @Test
    void repeatsAreNumberedCaseInsensitively() {
        FileNames names = new FileNames();

        assertThat(names.next("a.txt", "text/plain")).isEqualTo("a.txt");
        assertThat(names.next("A.TXT", "text/plain")).isEqualTo("A (2).TXT");
        assertThat(names.next("a.txt", "text/plain")).isEqualTo("a (3).txt");
        assertThat(names.next("a (2).txt", "text/plain")).isEqualTo("a (2) (2).txt");
    }
}
