package dev.intake.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IP range as Intake reads it everywhere (API clients' allowed addresses, trusted proxies; in collector.yaml, on the
 * Clients page, by {@code intake clients}): a literal IPv4 or IPv6 address, optionally with a {@code /prefix}. Only
 * literals are read, never host names, so reading a range never asks DNS.
 *
 * @param network the address's bytes (4 or 16)
 * @param prefix  how many leading bits count, 0 to 32 or 128
 */
public record IpRange(String text, byte[] network, int prefix) {

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** The range, or empty when {@code text} is not a literal address with an optional prefix in range. */
    public static Optional<IpRange> parse(String text) {
        String[] parts = text.split("/", -1);
        Optional<byte[]> network = literal(parts[0]);
        if (network.isEmpty() || parts.length > 2) {
            return Optional.empty();
        }
        int max = network.get().length * 8;
        int prefix = max;
        if (parts.length == 2) {
            if (!parts[1].matches("\\d{1,3}")) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(parts[1]);
        }
        return prefix > max ? Optional.empty() : Optional.of(new IpRange(text, network.get(), prefix));
    }

    /** The bytes of a literal IPv4 or IPv6 address; empty for anything else (a host name included). */
    public static Optional<byte[]> literal(String s) {
        if (!LITERAL.matcher(s).matches() || (!s.contains(":") && !IPV4.matcher(s).matches())) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(s).getAddress()); // a literal: no lookup
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** What to write instead of a range that does not parse. */
    public static String advice(String text) {
        return "'" + text + "' is not an IP address or CIDR range; write e.g. 10.1.2.3, 192.0.2.0/24 or 2001:db8::/32";
    }
}
