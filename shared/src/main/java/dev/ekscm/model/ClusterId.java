package dev.ekscm.model;

import java.util.Objects;

/**
 * Identifies a cluster across accounts and regions. Offline scans use account and region
 * {@code "-"} when the input does not say.
 */
public record ClusterId(String account, String region, String name) {
    public static final String UNKNOWN = "-";

    public ClusterId {
        account = blankToUnknown(account);
        region = blankToUnknown(region);
        Objects.requireNonNull(name, "cluster name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("cluster name must not be blank");
        }
    }

    public static ClusterId offline(String name) {
        return new ClusterId(UNKNOWN, UNKNOWN, name);
    }

    /** Parses an EKS cluster ARN, {@code arn:aws:eks:REGION:ACCOUNT:cluster/NAME}. */
    public static ClusterId fromArn(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("eks") || !parts[5].startsWith("cluster/")) {
            throw new IllegalArgumentException("not an EKS cluster ARN: '" + arn + "' (expected arn:aws:eks:REGION:ACCOUNT:cluster/NAME)");
        }
        return new ClusterId(parts[4], parts[3], parts[5].substring("cluster/".length()));
    }

    /** {@code account#region#name}: the stable key used in DynamoDB and finding ids. */
    public String key() {
        return account + "#" + region + "#" + name;
    }

    private static String blankToUnknown(String s) {
        return s == null || s.isBlank() ? UNKNOWN : s;
    }

    @Override
    public String toString() {
        return key();
    }
}
