package dev.ekscm.checks.netpol;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network in CIDR notation (a bare address is a /32 or /128). Parsed by hand, never
 * through {@code InetAddress}, which may resolve names: checks do no I/O.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private Cidr(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /** Parses {@code a.b.c.d/n}, an IPv6 {@code x::y/n}, or a bare address; empty when malformed. */
    public static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim();
        int slash = t.indexOf('/');
        String addressPart = slash < 0 ? t : t.substring(0, slash);
        Optional<byte[]> address = addressPart.contains(":") ? parseIpv6(addressPart) : parseIpv4(addressPart);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int bits = address.get().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                return Optional.empty();
            }
        }
        return Optional.of(new Cidr(address.get(), prefix, t));
    }

    /** Like {@link #parse} for constants that are known to be valid. */
    public static Cidr of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a CIDR: " + text));
    }

    public boolean isIpv4() {
        return network.length == 4;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** True when every address of {@code other} lies in this network (same address family only). */
    public boolean covers(Cidr other) {
        if (other.network.length != network.length || other.prefixLength < prefixLength) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (network[i] != other.network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (network[fullBytes] & mask) == (other.network[fullBytes] & mask);
    }

    private static Optional<byte[]> parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return Optional.empty();
            }
            out[i] = (byte) v;
        }
        return Optional.of(out);
    }

    private static Optional<byte[]> parseIpv6(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        int doubleColon = lower.indexOf("::");
        if (doubleColon >= 0 && lower.indexOf("::", doubleColon + 1) >= 0) {
            return Optional.empty();
        }
        String head = doubleColon >= 0 ? lower.substring(0, doubleColon) : lower;
        String tail = doubleColon >= 0 ? lower.substring(doubleColon + 2) : "";
        var headGroups = groups(head);
        var tailGroups = groups(tail);
        if (headGroups.isEmpty() || tailGroups.isEmpty()) {
            return Optional.empty();
        }
        int[] h = headGroups.get();
        int[] t = tailGroups.get();
        int total = h.length + t.length;
        if (doubleColon < 0 ? total != 8 : total > 7) {
            return Optional.empty();
        }
        byte[] out = new byte[16];
        for (int i = 0; i < h.length; i++) {
            out[2 * i] = (byte) (h[i] >> 8);
            out[2 * i + 1] = (byte) h[i];
        }
        for (int i = 0; i < t.length; i++) {
            int g = 8 - t.length + i;
            out[2 * g] = (byte) (t[i] >> 8);
            out[2 * g + 1] = (byte) t[i];
        }
        return Optional.of(out);
    }

    /** Hex groups of one side of an IPv6 address (an embedded IPv4 tail is not supported). */
    private static Optional<int[]> groups(String side) {
        if (side.isEmpty()) {
            return Optional.of(new int[0]);
        }
        String[] parts = side.split(":", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 4 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return Optional.empty();
            }
            out[i] = Integer.parseInt(p, 16);
        }
        return Optional.of(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }
}
