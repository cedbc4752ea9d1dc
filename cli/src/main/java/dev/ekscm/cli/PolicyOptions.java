package dev.ekscm.cli;

import dev.ekscm.checks.CheckConfig;
import dev.ekscm.model.BadInputException;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The policy options scan and remediate share: which namespaces are judged, which failures are exempt. */
final class PolicyOptions {
    @Option(names = "--exclude-namespaces", split = ",", paramLabel = "NS",
            description = "Namespaces to leave out, besides kube-system, kube-public and kube-node-lease.")
    List<String> excludeNamespaces = new ArrayList<>();

    @Option(names = "--exemptions", paramLabel = "FILE",
            description = "An exemption list (YAML, the format of the default list) that replaces the default one.")
    Path exemptions;

    CheckConfig applyTo(CheckConfig config) {
        config = config.withExcludedNamespaces(Set.copyOf(excludeNamespaces));
        if (exemptions != null) {
            try (InputStream in = Files.newInputStream(exemptions)) {
                config = config.withExemptionRules(CheckConfig.readExemptions(in, exemptions.toString()));
            } catch (IOException e) {
                throw new BadInputException(exemptions + ": cannot read: " + e.getMessage(), e);
            }
        }
        return config;
    }
}
