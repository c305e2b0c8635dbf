package dev.intake.app.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Address headers (From, Reply-To, To, Cc) read leniently. Jakarta Mail parses the syntax; display names are
 * decoded by {@link HeaderText} so that broken charsets stay readable. A header Jakarta Mail cannot parse still
 * yields whatever addresses can be picked out of it, so a sloppy From does not lose the requester.
 */
final class Addresses {

    private static final Pattern LOOSE_ADDRESS = Pattern.compile("[^\\s<>()\",;:@]+@[^\\s<>()\",;:@]+");

    private Addresses() {
    }

    static List<MailAddress> parse(String[] rawValues) {
        List<MailAddress> result = new ArrayList<>();
        if (rawValues == null) {
            return result;
        }
        for (String raw : rawValues) {
            result.addAll(parse(raw));
        }
        return result;
    }

    static List<MailAddress> parse(String raw) {
        List<MailAddress> result = new ArrayList<>();
        if (raw == null || raw.isBlank()) {
            return result;
        }
        String value = HeaderText.eightBitToText(HeaderText.unfold(raw));
        try {
            for (InternetAddress parsed : InternetAddress.parseHeader(value, false)) {
                if (parsed.isGroup()) {
                    for (InternetAddress member : parsed.getGroup(false)) {
                        add(result, member);
                    }
                } else {
                    add(result, parsed);
                }
            }
        } catch (AddressException | RuntimeException e) {
            Matcher m = LOOSE_ADDRESS.matcher(value);
            while (m.find()) {
                result.add(MailAddress.of(m.group()));
            }
        }
        return result;
    }

    private static void add(List<MailAddress> result, InternetAddress parsed) {
        String address = parsed.getAddress() == null ? "" : TextCleanup.line(parsed.getAddress());
        if (address.isEmpty()) {
            return;
        }
        // getPersonal() already tries RFC 2047 and hands back the raw words when their charset is unknown to Java.
        Optional<String> name = Optional.ofNullable(parsed.getPersonal())
                .map(HeaderText::decode)
                .filter(n -> !n.isEmpty() && !n.equalsIgnoreCase(address));
        result.add(new MailAddress(address, name));
    }
}
