package dev.ekscm.functions;

import dev.ekscm.routing.Identifiers;
import dev.ekscm.routing.MonitorRoles;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The functions' configuration, all from environment variables (DESIGN.md section 9), so that
 * `ekscm invoke` runs a handler with the same settings as Lambda:
 * RECHECK_QUEUE_URL, REGIONS, MEMBER_ROLE_NAME, MEMBER_ACCOUNTS, MONITOR_ROLE_ARNS,
 * COALESCE_SECONDS (the deduplication time bucket, default 60) and AWS_REGION.
 */
public record FunctionEnvironment(Optional<String> recheckQueueUrl, List<String> regions, Optional<String> memberRoleName,
                                  List<String> memberAccounts, MonitorRoles monitorRoles, Duration coalesceWindow,
                                  String homeRegion) {
    public static final Duration DEFAULT_COALESCE_WINDOW = Duration.ofSeconds(60);

    public FunctionEnvironment {
        regions = List.copyOf(regions);
        memberAccounts = List.copyOf(memberAccounts);
    }

    public static FunctionEnvironment fromSystem() {
        return from(System.getenv());
    }

    public static FunctionEnvironment from(Map<String, String> env) {
        String home = value(env, "AWS_REGION").or(() -> value(env, "AWS_DEFAULT_REGION")).orElse("us-east-1");
        List<String> regions = list(env.get("REGIONS"));
        for (String r : regions) {
            if (!Identifiers.REGION.matcher(r).matches()) {
                throw new IllegalArgumentException("REGIONS: '" + Identifiers.preview(r) + "' is not a region name like eu-west-1");
            }
        }
        List<String> accounts = list(env.get("MEMBER_ACCOUNTS"));
        for (String a : accounts) {
            if (!Identifiers.ACCOUNT.matcher(a).matches()) {
                throw new IllegalArgumentException("MEMBER_ACCOUNTS: '" + Identifiers.preview(a) + "' is not a 12-digit account id");
            }
        }
        Optional<String> memberRole = value(env, "MEMBER_ROLE_NAME");
        memberRole.ifPresent(n -> {
            if (!n.matches("[\\w+=,.@\\-/]{1,64}")) {
                throw new IllegalArgumentException("MEMBER_ROLE_NAME: '" + Identifiers.preview(n) + "' is not an IAM role name");
            }
        });
        Duration window = value(env, "COALESCE_SECONDS").map(s -> {
            try {
                long seconds = Long.parseLong(s);
                if (seconds < 1 || seconds > 300) {
                    throw new NumberFormatException();
                }
                return Duration.ofSeconds(seconds);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("COALESCE_SECONDS: '" + Identifiers.preview(s)
                        + "' must be a whole number of seconds from 1 to 300 (SQS FIFO deduplicates for 5 minutes)");
            }
        }).orElse(DEFAULT_COALESCE_WINDOW);
        return new FunctionEnvironment(value(env, "RECHECK_QUEUE_URL"), regions.isEmpty() ? List.of(home) : regions,
                memberRole, accounts, MonitorRoles.parse(env.get("MONITOR_ROLE_ARNS"), memberRole), window, home);
    }

    public String requireQueueUrl() {
        return recheckQueueUrl.orElseThrow(() -> new IllegalStateException(
                "RECHECK_QUEUE_URL is not set: the URL of the recheck FIFO queue (template.yaml sets it)"));
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static List<String> list(String text) {
        return text == null ? List.of() : Stream.of(text.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty())
                .distinct().toList();
    }
}
