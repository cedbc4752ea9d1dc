package dev.ekscm.routing;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The loop guard: the monitor's own IAM roles (MONITOR_ROLE_ARNS), whose calls — a remediation's
 * ModifyInstanceMetadataOptions, say — must not trigger another recheck. A CloudTrail record
 * names the caller as the session issuer's role ARN ({@code arn:aws:iam::ACCT:role/path/NAME})
 * and as the assumed-role ARN ({@code arn:aws:sts::ACCT:assumed-role/NAME/session}, without the
 * path); both forms match. The member role (MEMBER_ROLE_NAME) is the monitor in every account.
 */
public final class MonitorRoles {
    private final Set<String> roleArns;
    private final Set<String> accountAndName;
    private final Optional<String> memberRoleName;

    public MonitorRoles(Collection<String> roleArns, Optional<String> memberRoleName) {
        this.roleArns = Set.copyOf(roleArns);
        var keys = new LinkedHashSet<String>();
        for (String arn : roleArns) {
            roleKey(arn).ifPresent(keys::add);
        }
        this.accountAndName = Set.copyOf(keys);
        this.memberRoleName = memberRoleName.filter(s -> !s.isBlank());
    }

    public static MonitorRoles none() {
        return new MonitorRoles(Set.of(), Optional.empty());
    }

    /** Parses MONITOR_ROLE_ARNS: comma- or whitespace-separated role ARNs. */
    public static MonitorRoles parse(String roleArns, Optional<String> memberRoleName) {
        var arns = roleArns == null ? Set.<String>of()
                : Stream.of(roleArns.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty())
                        .collect(java.util.stream.Collectors.toSet());
        for (String arn : arns) {
            if (roleKey(arn).isEmpty()) {
                throw new IllegalArgumentException("MONITOR_ROLE_ARNS: '" + Identifiers.preview(arn)
                        + "' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
            }
        }
        return new MonitorRoles(arns, memberRoleName);
    }

    public boolean isMonitor(CloudTrailRecord record) {
        return record.sessionIssuerArn().filter(this::matches).isPresent()
                || record.principalArn().filter(this::matches).isPresent();
    }

    boolean matches(String arn) {
        if (roleArns.contains(arn)) {
            return true;
        }
        Optional<String> key = roleKey(arn).or(() -> assumedRoleKey(arn));
        if (key.isEmpty()) {
            return false;
        }
        if (accountAndName.contains(key.get())) {
            return true;
        }
        return memberRoleName.isPresent() && key.get().endsWith("#" + memberRoleName.get());
    }

    /** {@code arn:PART:iam::ACCT:role/[path/]NAME} → {@code ACCT#NAME}. */
    static Optional<String> roleKey(String arn) {
        String[] p = arn.split(":", 6);
        if (p.length != 6 || !p[0].equals("arn") || !p[2].equals("iam") || !p[5].startsWith("role/")) {
            return Optional.empty();
        }
        String resource = p[5];
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        return name.isEmpty() ? Optional.empty() : Optional.of(p[4] + "#" + name);
    }

    /** {@code arn:PART:sts::ACCT:assumed-role/NAME/SESSION} → {@code ACCT#NAME}. */
    static Optional<String> assumedRoleKey(String arn) {
        String[] p = arn.split(":", 6);
        if (p.length != 6 || !p[0].equals("arn") || !p[2].equals("sts") || !p[5].startsWith("assumed-role/")) {
            return Optional.empty();
        }
        String[] parts = p[5].split("/");
        return parts.length >= 2 && !parts[1].isEmpty() ? Optional.of(p[4] + "#" + parts[1]) : Optional.empty();
    }
}
