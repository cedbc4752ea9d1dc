package dev.ekscm.checks;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * EKS standard support end dates per Kubernetes minor version, kept as data
 * ({@code kubernetes-versions.yaml}) with the date the table was last checked.
 */
public record KubernetesVersionSupport(LocalDate tableDate, List<Entry> versions) {
    public KubernetesVersionSupport {
        versions = versions.stream().sorted(Comparator.comparing(Entry::minor)).toList();
    }

    /** One minor version, e.g. 1.31, and the last day of its EKS standard support. */
    public record Entry(String version, LocalDate endOfStandardSupport) {
        int minor() {
            return minorOf(version);
        }
    }

    public Optional<Entry> entry(String version) {
        int minor = minorOf(version);
        return versions.stream().filter(e -> e.minor() == minor).findFirst();
    }

    /** The oldest version still in standard support on the given day. */
    public Optional<Entry> oldestSupported(LocalDate day) {
        return versions.stream().filter(e -> !e.endOfStandardSupport().isBefore(day)).findFirst();
    }

    /** Minor number of a "1.NN" version, or -1 when it is not of that form. */
    public static int minorOf(String version) {
        if (version == null) {
            return -1;
        }
        String[] parts = version.trim().replaceFirst("^v", "").split("\\.");
        try {
            return parts.length >= 2 && parts[0].equals("1") ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
