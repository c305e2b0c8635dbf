package dev.intake.app.apiclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** CIDR ranges as admins write them, and addresses as servers report them. */
class IpRangesTest {

    @Test
    void rangesOfIpv4AndIpv6AndSingleAddresses() {
        IpRanges ranges = IpRanges.parse("192.0.2.0/24, 10.1.2.3 2001:db8::/32");
        assertThat(ranges.allows("192.0.2.77")).isTrue();
        assertThat(ranges.allows("192.0.3.1")).isFalse();
        assertThat(ranges.allows("10.1.2.3")).isTrue();
        assertThat(ranges.allows("10.1.2.4")).isFalse();
        assertThat(ranges.allows("2001:db8:1::5")).isTrue();
        assertThat(ranges.allows("[2001:db8::1]")).isTrue();
        assertThat(ranges.allows("2001:db9::1")).isFalse();
        assertThat(ranges.allows("::ffff:192.0.2.9")).as("IPv4 arriving over IPv6").isTrue();
        assertThat(ranges.allows("example.com")).as("never a name lookup").isFalse();
        assertThat(ranges.allows(null)).isFalse();
        assertThat(IpRanges.parse("").allows("203.0.113.1")).as("no ranges: anywhere").isTrue();
        assertThat(IpRanges.parse("0.0.0.0/0").allows("203.0.113.1")).isTrue();
    }

    @Test
    void whatIsNotCidrIsRefusedWithAnExample() {
        for (String bad : new String[] {"192.0.2.0/33", "intranet", "192.0.2/24", "10.0.0.0/x", "2001:db8::/129"}) {
            assertThatThrownBy(() -> IpRanges.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("CIDR");
        }
    }
}
