package dev.intake.app.delivery.glpi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code filter} query parameter of the high-level API's search routes, in GLPI's RSQL
 * ({@code Glpi\Api\HL\RSQL\Lexer}): {@code property==value}, {@code property=like=*part*}, joined by {@code ;}. A value
 * ends at an unescaped {@code ;}, {@code ,} or {@code )}, and a backslash makes the next character literal, so every
 * such character in a value is escaped.
 */
final class GlpiHlFilter {

    private GlpiHlFilter() {
    }

    static String equalTo(String property, String value) {
        return property + "==" + escape(value);
    }

    /** A substring match: {@code *} is RSQL's wildcard, and it is not escaped. */
    static String contains(String property, String part) {
        return property + "=like=*" + escape(part) + "*";
    }

    /** {@code ?filter=...&limit=n}, encoded for a URI. */
    static String query(String filter, int limit) {
        return "?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8) + "&limit=" + limit;
    }

    private static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (";,()\"'\\".indexOf(c) >= 0 && i > 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
