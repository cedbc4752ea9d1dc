package dev.ekscm.checks.catalog;

import dev.ekscm.model.k8s.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** How the workload checks name containers and read their effective security settings. */
final class Containers {
    private Containers() {
    }

    /** {@code container 'app'} or {@code init container 'migrate'}, for messages. */
    static String describe(Workload workload, Container container) {
        List<Container> init = workload.podSpec().getInitContainers();
        boolean isInit = init != null && init.stream().anyMatch(c -> c == container);
        return (isInit ? "init container '" : "container '") + container.getName() + "'";
    }

    /** A container's own securityContext, empty when it has none. */
    static SecurityContext securityContext(Container container) {
        return Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
    }

    static PodSecurityContext podSecurityContext(Workload workload) {
        return Optional.ofNullable(workload.podSpec().getSecurityContext()).orElseGet(PodSecurityContext::new);
    }

    /** A setting as Kubernetes applies it: the container's value over the pod's, and where it came from. */
    record Effective<T>(T value, String from) {
        boolean isSet() {
            return value != null;
        }

        @Override
        public String toString() {
            return value == null ? "unset" : value + " (" + from + ")";
        }
    }

    static <T> Effective<T> effective(Workload workload, Container container, Function<SecurityContext, T> ofContainer,
                                      Function<PodSecurityContext, T> ofPod) {
        T own = ofContainer.apply(securityContext(container));
        if (own != null) {
            return new Effective<>(own, "container");
        }
        T pod = ofPod.apply(podSecurityContext(workload));
        return pod != null ? new Effective<>(pod, "pod") : new Effective<>(null, "");
    }
}
