package dev.ekscm.routing;

import java.util.regex.Pattern;

/**
 * Patterns every identifier taken from an event must match before it is used in a lookup, a log
 * line or a queue message: AWS's own formats, so a hostile or broken value is rejected, never
 * passed on.
 */
public final class Identifiers {
    /** EKS: 1-100 characters, alphanumeric first, then alphanumerics, hyphens and underscores. */
    public static final Pattern CLUSTER_NAME = Pattern.compile("[0-9A-Za-z][A-Za-z0-9\\-_]{0,99}");
    public static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    public static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    public static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z0-9]{1,64}");
    public static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,127}");
    public static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");
    public static final Pattern SECURITY_GROUP_ID = Pattern.compile("sg-[0-9a-f]{8,17}");
    public static final Pattern SUBNET_ID = Pattern.compile("subnet-[0-9a-f]{8,17}");
    public static final Pattern ROUTE_TABLE_ID = Pattern.compile("rtb-[0-9a-f]{8,17}");
    public static final Pattern LAUNCH_TEMPLATE_ID = Pattern.compile("lt-[0-9a-f]{8,17}");
    /** EC2 launch template names: 3-128 of letters, digits, ( ) . - / _ */
    public static final Pattern LAUNCH_TEMPLATE_NAME = Pattern.compile("[A-Za-z0-9().\\-/_]{3,128}");

    private Identifiers() {
    }

    public static boolean isClusterName(String s) {
        return s != null && CLUSTER_NAME.matcher(s).matches();
    }

    /** A value fit for an error message or log line: at most 80 characters, control characters escaped. */
    public static String preview(String s) {
        if (s == null) {
            return "null";
        }
        var b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return s.length() > 80 ? b + "…(" + s.length() + " chars)" : b.toString();
    }
}
