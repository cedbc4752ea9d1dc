package dev.ekscm.checks.catalog;

import dev.ekscm.checks.CheckContext;
import dev.ekscm.checks.CheckMetadata;
import dev.ekscm.checks.Verdicts;
import dev.ekscm.checks.WorkloadCheck;
import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.k8s.Workload;
import io.fabric8.kubernetes.api.model.Container;

import java.util.List;

/**
 * Images are pinned (a tag other than latest, or a digest) and, when an allow-list of registries
 * is configured, come from one of them.
 */
public final class ImagesPinnedAndTrusted extends WorkloadCheck {
    private static final CheckMetadata METADATA = CheckMetadata.builder("images-pinned-and-trusted")
            .withSeverity(Severity.MEDIUM)
            .withTitle("Images are pinned to a version and come from trusted registries")
            .withRationale("':latest' or no tag means each node pulls whatever the tag points to when the pod "
                    + "starts: replicas run different code, a rollback does not roll back, and whoever can push "
                    + "the tag runs code in the cluster. Images from registries outside the organisation's "
                    + "control bypass its scanning and signing, and public registries apply pull rate limits.")
            .withRemediation("Reference every image by an immutable version, best a digest: "
                    + "<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<version>@sha256:<digest> (get it with "
                    + "aws ecr describe-images or crane digest); enable tag immutability on the ECR repository "
                    + "(aws ecr put-image-tag-mutability --image-tag-mutability IMMUTABLE); mirror third-party "
                    + "images into a registry on the allow-list (ECR pull-through cache).")
            .withSources("seed: images", "EKS best practices: image security - use immutable tags, trusted registries")
            .withScope(Scope.IMAGES)
            .withRequires(Input.K8S_WORKLOADS)
            .build();

    public ImagesPinnedAndTrusted() {
        super(METADATA);
    }

    @Override
    protected void judge(Workload w, CheckContext context, Verdicts verdicts) {
        List<String> allowed = context.config().allowedRegistries();
        List<Container> containers = w.allContainers();
        for (Container c : containers) {
            String name = Containers.describe(w, c);
            String image = c.getImage();
            ImageReference ref;
            try {
                ref = ImageReference.parse(image);
            } catch (IllegalArgumentException e) {
                verdicts.fail(w.ref(), Severity.MEDIUM, name + " has no usable image reference: " + e.getMessage(),
                        name + ": image=" + image);
                continue;
            }
            String evidence = name + ": image=" + ref.original();
            if (ref.digest().isPresent() && !ref.hasValidDigest()) {
                verdicts.fail(w.ref(), Severity.MEDIUM, name + " image " + ref + " has a malformed digest "
                        + "(e.g. sha256 needs 64 lower-case hex digits), so nothing pins it", evidence);
            } else if (ref.digest().isEmpty() && ref.floatingTag()) {
                verdicts.fail(w.ref(), Severity.MEDIUM, name + " image " + ref + (ref.tag().isPresent()
                        ? " uses the floating tag :latest" : " has no tag and no digest (pulls :latest)"), evidence);
            }
            if (!allowed.isEmpty() && allowed.stream().noneMatch(ref::isFrom)) {
                verdicts.fail(w.ref(), Severity.MEDIUM, name + " image " + ref + " comes from registry "
                        + ref.registry() + ", which is not on the allowed list " + allowed, evidence);
            }
        }
        verdicts.pass(w.ref(), containers.isEmpty() ? w.kind() + " " + w.name() + " declares no containers"
                : "all " + containers.size() + " image(s) of " + w.kind() + " " + w.name() + " are pinned"
                + (allowed.isEmpty() ? "" : " and come from allowed registries"));
    }
}
