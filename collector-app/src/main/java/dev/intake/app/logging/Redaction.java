package dev.intake.app.logging;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks what looks like a credential in text bound for a log: bearer tokens, JWTs, OAuth parameters and JSON
 * fields that carry tokens, secrets or codes, and XOAUTH2 initial responses. Intake never logs these on purpose;
 * this catches a library or exception message that does.
 */
public final class Redaction {

    private static final String MASK = "******";

    /** Each pattern's group 1 is kept; the rest of the match becomes the mask. */
    private static final List<Pattern> PATTERNS = List.of(
            Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}"),
            Pattern.compile("(?i)((?:access_token|refresh_token|id_token|client_secret|code_verifier|client_assertion"
                    + "|password|secret|code)\\s*[=:]\\s*\"?)[^\\s\"&,;}]{4,}"),
            Pattern.compile("(?i)(\"(?:access_token|refresh_token|id_token|client_secret|secret|password|code)\"\\s*:\\s*\")[^\"]+"),
            Pattern.compile("()eyJ[A-Za-z0-9_-]{6,}\\.[A-Za-z0-9_-]{6,}\\.[A-Za-z0-9_-]*"),
            Pattern.compile("(?i)(AUTHENTICATE XOAUTH2\\s+)\\S+"),
            Pattern.compile("()dXNlcj[A-Za-z0-9+/=]{12,}")); // base64 of "user=": an XOAUTH2 response

    private Redaction() {
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (Pattern p : PATTERNS) {
            Matcher m = p.matcher(result);
            if (m.find()) {
                result = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
            }
        }
        return result;
    }
}
