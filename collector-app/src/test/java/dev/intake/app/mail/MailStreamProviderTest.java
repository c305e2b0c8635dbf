package dev.intake.app.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.util.StreamProvider;
import org.junit.jupiter.api.Test;

class MailStreamProviderTest {

    @Test
    void parsingNamesAngusMailsStreamProviderSoThatNoPartLooksItUpAgain() {
        new MailParser();

        assertThat(System.getProperty(MailStreamProvider.PROPERTY)).isEqualTo(MailStreamProvider.ANGUS);
        // The name must be a class that exists: Jakarta Mail would otherwise fail every part it reads.
        assertThat(StreamProvider.provider().getClass().getName()).isEqualTo(MailStreamProvider.ANGUS);
    }

    @Test
    void anOperatorsOwnChoiceIsKept() {
        String before = System.getProperty(MailStreamProvider.PROPERTY);
        try {
            System.setProperty(MailStreamProvider.PROPERTY, "com.example.OwnProvider");
            MailStreamProvider.nameAngusUnlessSet();
            assertThat(System.getProperty(MailStreamProvider.PROPERTY)).isEqualTo("com.example.OwnProvider");
        } finally {
            System.setProperty(MailStreamProvider.PROPERTY, before == null ? MailStreamProvider.ANGUS : before);
        }
    }
}
