package dev.ekscm.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * A resource a check judged: Kubernetes objects by kind, namespace and name (namespace empty
 * for cluster-scoped objects); AWS resources by kind and id with an empty namespace.
 */
public record ResourceRef(String kind, String namespace, String name) implements Comparable<ResourceRef> {
    private static final Comparator<ResourceRef> ORDER = Comparator.comparing(ResourceRef::kind)
            .thenComparing(ResourceRef::namespace).thenComparing(ResourceRef::name);

    public ResourceRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        namespace = namespace == null ? "" : namespace;
    }

    public static ResourceRef of(String kind, String namespace, String name) {
        return new ResourceRef(kind, namespace, name);
    }

    public static ResourceRef aws(String kind, String id) {
        return new ResourceRef(kind, "", id);
    }

    public static ResourceRef cluster(String name) {
        return aws("Cluster", name);
    }

    /** {@code Kind/namespace/name} or {@code Kind/name}: stable, used in finding ids. */
    public String key() {
        return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }

    @Override
    public int compareTo(ResourceRef o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return key();
    }
}
