package dev.ekscm.remediation;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether and how the monitor may remediate one cluster, from its tags and the deployment-wide
 * switch. A cluster without the {@code ekscm:auto-remediate} tag is never touched, whatever the
 * switch says; the switch off turns every remediation off, whatever the tags say.
 *
 * @param requested   remediations the tag names (known ids only)
 * @param mode        from {@code ekscm:remediation-mode}: dry-run unless it says exactly enforce
 * @param switchOn    the deployment-wide switch ({@code REMEDIATION_ENABLED})
 * @param warnings    tag values that were not understood, and what was done instead
 */
public record RemediationPolicy(Set<RemediationId> requested, RemediationMode mode, boolean switchOn,
                                boolean tagged, List<String> warnings) {
    public static final String AUTO_REMEDIATE_TAG = "ekscm:auto-remediate";
    public static final String MODE_TAG = "ekscm:remediation-mode";
    public static final String SWITCH_VARIABLE = "REMEDIATION_ENABLED";

    public RemediationPolicy {
        requested = requested.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(requested));
        warnings = List.copyOf(warnings);
    }

    /** Reads the cluster's tags (as DescribeCluster returns them) and the deployment switch. */
    public static RemediationPolicy fromTags(Map<String, String> tags, boolean switchOn) {
        var warnings = new ArrayList<String>();
        var requested = EnumSet.noneOf(RemediationId.class);
        String list = tags.get(AUTO_REMEDIATE_TAG);
        boolean tagged = list != null;
        if (tagged) {
            for (String item : list.split(",")) {
                String id = item.trim();
                if (id.isEmpty()) {
                    continue;
                }
                if (id.equalsIgnoreCase("all")) {
                    requested.addAll(EnumSet.allOf(RemediationId.class));
                } else {
                    RemediationId.parse(id).ifPresentOrElse(requested::add, () -> warnings.add("tag "
                            + AUTO_REMEDIATE_TAG + " names unknown remediation '" + id + "' (ignored); known: "
                            + RemediationId.knownIds() + ", or all"));
                }
            }
            if (requested.isEmpty() && warnings.isEmpty()) {
                warnings.add("tag " + AUTO_REMEDIATE_TAG + " is empty: no remediation enabled; set it to a comma list of "
                        + RemediationId.knownIds() + ", or all");
            }
        }
        return new RemediationPolicy(requested, parseMode(tags.get(MODE_TAG), warnings), switchOn, tagged, warnings);
    }

    /** A cluster that never opted in (used by previews of clusters whose tags are unknown). */
    public static RemediationPolicy notOptedIn(boolean switchOn) {
        return new RemediationPolicy(Set.of(), RemediationMode.DRY_RUN, switchOn, false, List.of());
    }

    /**
     * The deployment switch from the value of {@code REMEDIATION_ENABLED}: unset means on (the
     * cluster tag is the opt-in), {@code false}/{@code off}/{@code 0}/{@code no} mean off, and
     * anything else also means off, failing safe.
     */
    public static boolean switchFromEnvironment(String value) {
        if (value == null || value.isBlank()) {
            return true;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "1", "yes", "enabled" -> true;
            default -> false;
        };
    }

    private static RemediationMode parseMode(String value, List<String> warnings) {
        if (value == null) {
            return RemediationMode.DRY_RUN;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals(RemediationMode.ENFORCE.tagValue())) {
            return RemediationMode.ENFORCE;
        }
        if (!v.equals(RemediationMode.DRY_RUN.tagValue())) {
            warnings.add("tag " + MODE_TAG + " = '" + value + "' is neither dry-run nor enforce: using dry-run");
        }
        return RemediationMode.DRY_RUN;
    }

    /** True when this remediation may act on the cluster (in the policy's mode). */
    public boolean enables(RemediationId id) {
        return switchOn && requested.contains(id);
    }

    public boolean enablesAny() {
        return switchOn && !requested.isEmpty();
    }

    /** Why a remediation is off, or empty when it is on. */
    public Optional<String> whyOff(RemediationId id) {
        if (!tagged) {
            return Optional.of("the cluster is not opted in (no tag " + AUTO_REMEDIATE_TAG + ")");
        }
        if (!requested.contains(id)) {
            return Optional.of("tag " + AUTO_REMEDIATE_TAG + " does not name " + id.id());
        }
        if (!switchOn) {
            return Optional.of("remediation is switched off for the whole deployment (" + SWITCH_VARIABLE + ")");
        }
        return Optional.empty();
    }

    /** One line for plans and logs: what is enabled, in which mode. */
    public String describe() {
        if (!tagged) {
            return "not opted in (no tag " + AUTO_REMEDIATE_TAG + "): preview only, nothing would be applied";
        }
        String ids = requested.isEmpty() ? "none"
                : requested.stream().map(RemediationId::id).sorted().collect(Collectors.joining(","));
        String base = AUTO_REMEDIATE_TAG + "=" + ids + ", mode " + mode.tagValue();
        return switchOn ? "opted in: " + base
                : "opted in (" + base + ") but switched off for the deployment (" + SWITCH_VARIABLE + "=false): "
                + "nothing would be applied";
    }
}
