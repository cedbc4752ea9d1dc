package dev.ekscm.checks;

import dev.ekscm.checks.catalog.AwsChecks;
import dev.ekscm.checks.catalog.NetworkChecks;
import dev.ekscm.checks.catalog.WorkloadChecks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The built-in checks. CheckCatalogTest fails when a Check class exists that the catalog does
 * not list, or when a listed check lacks metadata or fixtures.
 */
public final class CheckCatalog {
    private final Map<String, Check> byId;

    private CheckCatalog(Collection<Check> checks) {
        var map = new LinkedHashMap<String, Check>();
        for (Check c : checks) {
            if (map.put(c.id(), c) != null) {
                throw new IllegalStateException("two checks share the id " + c.id());
            }
        }
        this.byId = map;
    }

    public static CheckCatalog builtIn() {
        var all = new ArrayList<Check>();
        all.addAll(AwsChecks.all());
        all.addAll(NetworkChecks.all());
        all.addAll(WorkloadChecks.all());
        return new CheckCatalog(all);
    }

    public static CheckCatalog of(Collection<Check> checks) {
        return new CheckCatalog(checks);
    }

    public List<Check> all() {
        return List.copyOf(byId.values());
    }

    public Optional<Check> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The named checks, in catalog order; an unknown id is an error that lists the known ones. */
    public List<Check> select(Collection<String> ids) {
        var unknown = ids.stream().filter(id -> !byId.containsKey(id)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown check id(s) " + unknown + "; known: "
                    + byId.keySet().stream().collect(Collectors.joining(", ")));
        }
        return byId.values().stream().filter(c -> ids.contains(c.id())).toList();
    }
}
