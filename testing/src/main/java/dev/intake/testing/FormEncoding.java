package dev.intake.testing;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code application/x-www-form-urlencoded} bodies and query strings, as the fakes and the test browser need them. */
public final class FormEncoding {

    private FormEncoding() {
    }

    /** Parses a query string or form body; the first value of a repeated name wins. Never null. */
    public static Map<String, String> parse(String encoded) {
        Map<String, String> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(name, value);
        }
        return params;
    }

    /** The query parameters of a URI. */
    public static Map<String, String> query(URI uri) {
        return Collections.unmodifiableMap(parse(uri.getRawQuery()));
    }

    public static String encode(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** {@code base} with {@code params} appended to its query. */
    public static URI withQuery(URI base, Map<String, String> params) {
        String separator = base.getRawQuery() == null ? "?" : "&";
        return URI.create(base + separator + encode(params));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
