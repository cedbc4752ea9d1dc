package dev.ekscm.checks.catalog;

import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckContext;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Input;
import dev.ekscm.model.ResourceRef;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.aws.EcrRepository;
import dev.ekscm.model.aws.RegistryScanning;
import dev.ekscm.model.k8s.Workload;
import io.fabric8.kubernetes.api.model.Container;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ECR repositories the cluster's (judged) workloads pull from scan images on push, or a
 * registry-level scanning rule covers them. Repositories no workload uses are not judged; images
 * from repositories absent from the data (another account or region) cannot be judged either.
 */
public final class EcrImageScanning implements Check {
    /** {@code ACCOUNT.dkr.ecr[-fips].REGION.amazonaws.com[.cn]/REPO[:tag][@digest]}. */
    private static final Pattern ECR_IMAGE = Pattern.compile(
            "((\\d{12})\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?)/([^@:]+)(?::[^:/@]+)?(?:@.+)?");

    private static final CheckMetadata METADATA = CheckMetadata.builder("ecr-image-scanning")
            .withSeverity(Severity.MEDIUM)
            .withTitle("ECR repositories the cluster pulls from scan images for vulnerabilities")
            .withRationale("An image that is never scanned can ship known critical CVEs into the cluster unnoticed; "
                    + "ECR scans on push (basic) or continuously (enhanced, Amazon Inspector) at no effort once "
                    + "turned on.")
            .withRemediation("`aws ecr put-image-scanning-configuration --repository-name REPO "
                    + "--image-scanning-configuration scanOnPush=true`, or for every repository at once "
                    + "`aws ecr put-registry-scanning-configuration --scan-type ENHANCED --rules "
                    + "'[{\"scanFrequency\":\"CONTINUOUS_SCAN\",\"repositoryFilters\":[{\"filter\":\"*\","
                    + "\"filterType\":\"WILDCARD\"}]}]'`.")
            .withSources("seed: image scanning", "EKS Best Practices: image security")
            .withScope(Scope.IMAGES)
            .withRequires(Input.ECR_REPOSITORIES, Input.K8S_WORKLOADS)
            .build();

    /** An image reference that points at an ECR repository. */
    record EcrImage(String host, String registryId, String region, String repositoryName) {
        String uri() {
            return host + "/" + repositoryName;
        }
    }

    @Override
    public CheckMetadata metadata() {
        return METADATA;
    }

    @Override
    public List<CheckResult> evaluate(CheckContext context) {
        var verdicts = new Verdicts(METADATA);
        Map<String, EcrRepository> repositories = index(context.aws().ecrRepositories());
        // repository -> workloads that use it, in workload order
        var users = new LinkedHashMap<EcrRepository, Set<String>>();
        for (Workload w : context.judgedWorkloads()) {
            for (Container c : w.allContainers()) {
                parse(c.getImage()).flatMap(image -> find(image, repositories))
                        .ifPresent(repo -> users.computeIfAbsent(repo, r -> new LinkedHashSet<>()).add(w.ref().key()));
            }
        }
        Optional<RegistryScanning> registry = context.aws().registryScanning();
        for (Map.Entry<EcrRepository, Set<String>> e : users.entrySet()) {
            EcrRepository repo = e.getKey();
            ResourceRef ref = ResourceRef.aws("EcrRepository", repo.repositoryName());
            String usedBy = " (used by " + summarize(e.getValue()) + ")";
            boolean registryScans = registry.map(r -> r.covers(repo.repositoryName())).orElse(false);
            if (repo.scanOnPush()) {
                verdicts.pass(ref, "repository " + repo.repositoryName() + " scans images on push" + usedBy);
            } else if (registryScans) {
                verdicts.pass(ref, "repository " + repo.repositoryName() + " is scanned by the registry's "
                        + registry.get().scanType() + " scanning rules" + usedBy);
            } else {
                verdicts.fail(ref, "repository " + repo.repositoryName() + " has scanOnPush=false and no "
                        + "registry-level scanning rule covers it" + usedBy);
            }
        }
        return verdicts.list();
    }

    static Optional<EcrImage> parse(String image) {
        if (image == null) {
            return Optional.empty();
        }
        Matcher m = ECR_IMAGE.matcher(image.trim().toLowerCase(Locale.ROOT));
        return m.matches() ? Optional.of(new EcrImage(m.group(1), m.group(2), m.group(3), m.group(4))) : Optional.empty();
    }

    /** Repositories by URI (host/name) and by registry id + name, so that each image is one lookup. */
    private static Map<String, EcrRepository> index(List<EcrRepository> repositories) {
        var byKey = new java.util.HashMap<String, EcrRepository>();
        for (EcrRepository r : repositories) {
            if (!r.repositoryUri().isBlank()) {
                byKey.putIfAbsent(stripScheme(r.repositoryUri()).toLowerCase(Locale.ROOT), r);
            } else {
                byKey.putIfAbsent(r.registryId() + "/" + r.repositoryName(), r);
            }
        }
        return byKey;
    }

    private static Optional<EcrRepository> find(EcrImage image, Map<String, EcrRepository> repositories) {
        return Optional.ofNullable(repositories.get(image.uri()))
                .or(() -> Optional.ofNullable(repositories.get(image.registryId() + "/" + image.repositoryName())));
    }

    private static String stripScheme(String uri) {
        return uri.replaceFirst("^https?://", "");
    }

    private static String summarize(Set<String> workloads) {
        var list = List.copyOf(workloads);
        return list.size() <= 3 ? String.join(", ", list)
                : String.join(", ", list.subList(0, 3)) + " and " + (list.size() - 3) + " more";
    }
}
