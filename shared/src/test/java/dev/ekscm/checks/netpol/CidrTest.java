package dev.ekscm.checks.netpol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CidrTest {
    private static final Cidr IMDS = Cidr.of("169.254.169.254");

    @ParameterizedTest(name = "{0} covers 169.254.169.254: {1}")
    @CsvSource({
            "0.0.0.0/0, true",
            "169.0.0.0/8, true",
            "169.254.0.0/16, true",
            "169.254.160.0/20, true",   // 160-175: prefix not on a byte boundary
            "169.254.176.0/20, false",
            "169.254.169.0/24, true",
            "169.254.169.252/30, true",
            "169.254.169.248/30, false",
            "169.254.169.254/32, true",
            "169.254.169.253/32, false",
            "169.254.170.0/24, false",
            "10.0.0.0/8, false",
            "169.254.169.254, true",
            "::/0, false",
            "fd00:ec2::254/128, false"})
    void covers_should_compare_only_the_prefix_bits_of_the_same_family(String cidr, boolean expected) {
        assertThat(Cidr.of(cidr).covers(IMDS)).isEqualTo(expected);
    }

    @Test
    void covers_should_ignore_host_bits_of_the_network() {
        // GIVEN a network written with host bits set, as people do
        Cidr sloppy = Cidr.of("169.254.169.1/24");
        // THEN it still covers the metadata address
        assertThat(sloppy.covers(IMDS)).isTrue();
    }

    @Test
    void covers_should_be_false_for_a_wider_network() {
        assertThat(Cidr.of("169.254.169.254/32").covers(Cidr.of("169.254.169.0/24"))).isFalse();
        assertThat(Cidr.of("169.254.169.0/24").covers(Cidr.of("169.254.169.254/32"))).isTrue();
    }

    @Test
    void parse_should_read_ipv6_networks() {
        assertThat(Cidr.of("fd00:ec2::254/128").covers(Cidr.of("fd00:ec2::254"))).isTrue();
        assertThat(Cidr.of("fd00::/8").covers(Cidr.of("fd00:ec2:0:0:0:0:0:254"))).isTrue();
        assertThat(Cidr.of("::/0").isIpv4()).isFalse();
        assertThat(Cidr.of("fd00:ec2::254/128").covers(Cidr.of("fd00:ec2::255"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "169.254.169", "169.254.169.256/32", "169.254.169.254/33", "10.0.0.0/", "10.0.0.0/x",
            "a.b.c.d/8", "fd00::ec2::1/64", "fd00:ec2::254/129", "1:2:3:4:5:6:7:8:9/64", "example.com"})
    void parse_should_reject_malformed_text(String text) {
        assertThat(Cidr.parse(text)).isEmpty();
    }
}
