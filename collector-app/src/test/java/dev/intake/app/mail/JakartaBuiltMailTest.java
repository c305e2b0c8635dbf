package dev.intake.app.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Mail written by another real mail library (Jakarta Mail's encoder) reads back as it was written. */
class JakartaBuiltMailTest {

    @Test
    void mailWrittenByJakartaMailReadsBack() throws Exception {
        Session session = Session.getInstance(new Properties());
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("zoe@example.com", "Zoë Ünal", "UTF-8"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("support@contoso.com"));
        message.setSubject("Überweisung für März – bitte prüfen", "UTF-8");
        message.setSentDate(new Date(1_741_000_000_000L));

        MimeBodyPart text = new MimeBodyPart();
        text.setText("Sehr geehrte Damen und Herren,\nanbei der Auszug.", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setText("<p>Anbei der <b>Auszug</b> <img src=\"cid:sig@example.com\"></p>", "UTF-8", "html");
        MimeMultipart alternative = new MimeMultipart("alternative", text, html);
        MimeBodyPart alternativePart = new MimeBodyPart();
        alternativePart.setContent(alternative);

        byte[] image = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, 3};
        MimeBodyPart signature = new MimeBodyPart();
        signature.setDataHandler(new DataHandler(new ByteArrayDataSource(image, "image/png")));
        signature.setContentID("<sig@example.com>");
        signature.setDisposition(MimeBodyPart.INLINE);

        byte[] pdf = "%PDF-1.4 statement".getBytes(StandardCharsets.US_ASCII);
        MimeBodyPart statement = new MimeBodyPart();
        statement.setDataHandler(new DataHandler(new ByteArrayDataSource(pdf, "application/pdf")));
        statement.setFileName("Kontoauszug März 2025 – Überweisung mit einem sehr langen Dateinamen.pdf");

        message.setContent(new MimeMultipart("mixed", alternativePart, signature, statement));
        message.saveChanges();
        message.setHeader("Message-ID", "<built.1@example.com>"); // saveChanges() makes its own
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        message.writeTo(raw);

        ParsedMail mail = new MailParser().parse(raw.toByteArray(), new ParseLimits(1024 * 1024));

        assertThat(mail.messageId()).contains("<built.1@example.com>");
        assertThat(mail.subject()).isEqualTo("Überweisung für März – bitte prüfen");
        assertThat(mail.from()).contains(new MailAddress("zoe@example.com", Optional.of("Zoë Ünal")));
        assertThat(mail.textBody()).isEqualTo("Sehr geehrte Damen und Herren,\nanbei der Auszug.");
        assertThat(mail.htmlBody()).contains("<p>Anbei der <b>Auszug</b> <img src=\"cid:sig@example.com\"></p>");
        assertThat(mail.attachments()).hasSize(2);
        assertThat(mail.attachments().get(0).inline()).isTrue();
        assertThat(mail.attachments().get(0).content()).isEqualTo(image);
        assertThat(mail.attachments().get(1).fileName())
                .isEqualTo("Kontoauszug März 2025 – Überweisung mit einem sehr langen Dateinamen.pdf");
        assertThat(mail.attachments().get(1).content()).isEqualTo(pdf);
        assertThat(mail.malformed()).isFalse();
    }
}
