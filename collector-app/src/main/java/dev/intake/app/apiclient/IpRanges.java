package dev.intake.app.apiclient;

import java.math.BigInteger;
import dev.intake.config.IpRange;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses a client may call from, as CIDR ranges (IPv4 and IPv6); none means anywhere. Only literal addresses
 * are read, never host names, so parsing a range never asks DNS.
 */
public final class IpRanges {

    private record Range(String text, byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = address.length * 8;
            BigInteger mask = prefix == 0 ? BigInteger.ZERO
                    : BigInteger.ONE.shiftLeft(prefix).subtract(BigInteger.ONE).shiftLeft(bits - prefix);
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    private final List<Range> ranges;

    private IpRanges(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    public static final IpRanges ANYWHERE = new IpRanges(List.of());

    /**
     * Reads ranges separated by spaces, commas or line breaks; a bare address is a range of one.
     *
     * @throws IllegalArgumentException naming the range that is not CIDR
     */
    public static IpRanges parse(String list) {
        List<Range> ranges = new ArrayList<>();
        for (String item : list == null ? new String[0] : list.strip().split("[\\s,]+")) {
            if (!item.isEmpty()) {
                ranges.add(range(item));
            }
        }
        return new IpRanges(ranges);
    }

    private static Range range(String text) {
        IpRange r = IpRange.parse(text).orElseThrow(() -> new IllegalArgumentException(IpRange.advice(text)));
        return new Range(text, r.network(), r.prefix());
    }

    private static java.util.Optional<byte[]> literal(String s) {
        return IpRange.literal(s);
    }

    public boolean isAnywhere() {
        return ranges.isEmpty();
    }

    /** Whether the client may call from {@code address}; an address that is not a literal IP is never allowed. */
    public boolean allows(String address) {
        if (ranges.isEmpty()) {
            return true;
        }
        byte[] bytes = literal(bare(address)).orElse(null);
        if (bytes == null) {
            return false;
        }
        byte[] v4 = mappedIpv4(bytes);
        return ranges.stream().anyMatch(r -> r.contains(bytes) || (v4 != null && r.contains(v4)));
    }

    /** An IPv6 address as servers print it: [2001:db8::1] or fe80::1%eth0 is compared without brackets and zone. */
    private static String bare(String address) {
        if (address == null) {
            return "";
        }
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        return zone >= 0 ? a.substring(0, zone) : a;
    }

    /** ::ffff:192.0.2.1 is 192.0.2.1 arriving over IPv6. */
    private static byte[] mappedIpv4(byte[] b) {
        if (b.length != 16) {
            return null;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return null;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff ? java.util.Arrays.copyOfRange(b, 12, 16) : null;
    }

    public List<String> asList() {
        return ranges.stream().map(Range::text).toList();
    }

    @Override
    public String toString() {
        return String.join(" ", asList());
    }
}
