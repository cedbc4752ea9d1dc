package dev.ekscm.routing;

import dev.ekscm.model.ClusterId;
import tools.jackson.databind.JsonNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Routes one EventBridge CloudTrail event: validates it, drops failed, read-only and the
 * monitor's own calls, finds the row of the {@link RoutingTable}, reads the identifiers its
 * locators point at, resolves them to clusters (through {@link ResourceLookup} where the record
 * holds only an EC2 resource id) and returns one {@link RecheckRequest} per cluster. Throws
 * {@link MalformedEventException} for an event that is not what it claims to be.
 */
public final class EventRouter {
    /** An event that names more clusters than this is treated as hostile, not fanned out. */
    public static final int MAX_CLUSTERS_PER_EVENT = 25;
    private static final Pattern EKS_ARN = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-eusc):eks:([a-z0-9\\-]+):(\\d{12}):([a-z\\-]+)/([^/]+)(/.*)?");
    private static final Set<String> EKS_ARN_TYPES = Set.of("cluster", "nodegroup", "addon", "fargateprofile",
            "access-entry", "identityproviderconfig", "podidentityassociation");

    private final RoutingTable table;
    private final ResourceLookup lookup;
    private final MonitorRoles monitorRoles;

    public EventRouter(RoutingTable table, ResourceLookup lookup, MonitorRoles monitorRoles) {
        this.table = table;
        this.lookup = lookup;
        this.monitorRoles = monitorRoles;
    }

    public RoutingDecision route(JsonNode event) {
        CloudTrailRecord record = CloudTrailRecord.parse(event);
        if (record.errorCode().isPresent()) {
            return new RoutingDecision.Ignored(IgnoreReason.FAILED_CALL, Identifiers.preview(record.errorCode().get()));
        }
        if (record.readOnly()) {
            return new RoutingDecision.Ignored(IgnoreReason.READ_ONLY, record.eventName());
        }
        if (monitorRoles.isMonitor(record)) {
            return new RoutingDecision.Ignored(IgnoreReason.MONITOR_ROLE,
                    record.sessionIssuerArn().or(record::principalArn).orElse(""));
        }
        Optional<Route> found = table.find(record.eventSource(), record.eventName());
        if (found.isEmpty()) {
            return new RoutingDecision.Ignored(IgnoreReason.UNKNOWN_EVENT, record.eventSource() + " " + record.eventName());
        }
        Route route = found.get();
        var where = new ResourceLookup.Location(record.account(), record.region());
        boolean anyValue = false;
        for (Locator locator : route.locators()) {
            List<String> values = read(locator, record.detail());
            if (values.isEmpty()) {
                continue;
            }
            anyValue = true;
            Set<ClusterId> clusters = resolve(locator, values, where);
            if (!clusters.isEmpty()) {
                String trigger = "event:" + record.source().substring("aws.".length()) + ":" + record.eventName();
                var requests = clusters.stream()
                        .map(c -> new RecheckRequest(c, route.scopes(), trigger, record.eventId(), record.time()))
                        .toList();
                return new RoutingDecision.Recheck(route, requests);
            }
        }
        if (!anyValue && route.valueRequired()) {
            throw new MalformedEventException("detail" + route.locators().get(0).pointers().get(0).replace('/', '.'),
                    "is missing: " + record.eventName() + " records carry the "
                            + route.locators().get(0).resolution().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                            + " at " + route.locators().stream().flatMap(l -> l.pointers().stream()).toList());
        }
        return new RoutingDecision.Ignored(IgnoreReason.UNKNOWN_CLUSTER, record.eventName() + " concerns no known cluster");
    }

    private Set<ClusterId> resolve(Locator locator, List<String> values, ResourceLookup.Location where) {
        var clusters = new LinkedHashSet<ClusterId>();
        for (String value : values) {
            Set<String> names = switch (locator.resolution()) {
                case CLUSTER_NAME, CLUSTER_TAGS -> Set.of(value);
                case EKS_ARN -> {
                    Optional<ClusterId> id = clusterFromArn(value);
                    id.ifPresent(clusters::add);
                    yield Set.of();
                }
                case INSTANCE -> lookup.clustersOfInstance(where, value);
                case LAUNCH_TEMPLATE -> lookup.clustersUsingLaunchTemplate(where, value);
                case SECURITY_GROUP -> lookup.clustersUsingSecurityGroup(where, value);
                case SUBNET -> lookup.clustersUsingSubnet(where, value);
                case ROUTE_TABLE -> lookup.clustersUsingRouteTable(where, value);
            };
            for (String name : names) {
                if (!Identifiers.isClusterName(name)) {
                    throw new MalformedEventException("cluster name", "'" + Identifiers.preview(name)
                            + "' (from " + locator.resolution() + " " + Identifiers.preview(value)
                            + ") does not match the EKS name pattern " + Identifiers.CLUSTER_NAME.pattern());
                }
                clusters.add(new ClusterId(where.account(), where.region(), name));
            }
            if (clusters.size() > MAX_CLUSTERS_PER_EVENT) {
                throw new MalformedEventException("cluster names", "the event names more than " + MAX_CLUSTERS_PER_EVENT
                        + " clusters; refusing to fan out");
            }
        }
        return clusters;
    }

    private static Optional<ClusterId> clusterFromArn(String raw) {
        String arn = raw.indexOf('%') >= 0 ? decode(raw) : raw;
        var m = EKS_ARN.matcher(arn);
        if (!m.matches()) {
            throw new MalformedEventException("detail.requestParameters.resourceArn", "'" + Identifiers.preview(raw)
                    + "' is not an EKS ARN (arn:aws:eks:REGION:ACCOUNT:cluster/NAME)");
        }
        if (!EKS_ARN_TYPES.contains(m.group(4))) {
            return Optional.empty();
        }
        String region = m.group(2);
        String account = m.group(3);
        String name = m.group(5);
        if (!Identifiers.REGION.matcher(region).matches()) {
            throw new MalformedEventException("detail.requestParameters.resourceArn", "region '" + Identifiers.preview(region)
                    + "' is not a valid region");
        }
        if (!Identifiers.isClusterName(name)) {
            throw new MalformedEventException("detail.requestParameters.resourceArn", "cluster name '"
                    + Identifiers.preview(name) + "' does not match the EKS name pattern " + Identifiers.CLUSTER_NAME.pattern());
        }
        return Optional.of(new ClusterId(account, region, name));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("detail.requestParameters.resourceArn", "'" + Identifiers.preview(s)
                    + "' is not valid URL encoding");
        }
    }

    /** The distinct values at the locator's pointers: identifiers, or for tags the cluster names they carry. */
    static List<String> read(Locator locator, JsonNode detail) {
        var values = new LinkedHashSet<String>();
        for (String pointer : locator.pointers()) {
            var nodes = new ArrayList<JsonNode>();
            collect(detail, segments(pointer), 0, nodes);
            String field = "detail" + pointer.replace('/', '.');
            for (JsonNode node : nodes) {
                if (locator.resolution() == Resolution.CLUSTER_TAGS) {
                    tagClusterNames(node, field, values);
                } else {
                    values.add(identifier(node, field, locator.resolution()));
                }
            }
        }
        return List.copyOf(values);
    }

    private static String identifier(JsonNode node, String field, Resolution resolution) {
        if (!node.isString()) {
            throw new MalformedEventException(field, "expected a string, got " + Identifiers.preview(node.toString()));
        }
        String v = node.asString();
        boolean ok = switch (resolution) {
            case CLUSTER_NAME -> Identifiers.isClusterName(v);
            case EKS_ARN -> v.length() <= 2048;
            case INSTANCE -> Identifiers.INSTANCE_ID.matcher(v).matches();
            case LAUNCH_TEMPLATE -> Identifiers.LAUNCH_TEMPLATE_ID.matcher(v).matches()
                    || Identifiers.LAUNCH_TEMPLATE_NAME.matcher(v).matches();
            case SECURITY_GROUP -> Identifiers.SECURITY_GROUP_ID.matcher(v).matches();
            case SUBNET -> Identifiers.SUBNET_ID.matcher(v).matches();
            case ROUTE_TABLE -> Identifiers.ROUTE_TABLE_ID.matcher(v).matches();
            case CLUSTER_TAGS -> true;
        };
        if (!ok) {
            String expected = resolution == Resolution.CLUSTER_NAME
                    ? "an EKS cluster name matching " + Identifiers.CLUSTER_NAME.pattern()
                    : "a valid " + resolution.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " identifier";
            throw new MalformedEventException(field, "'" + Identifiers.preview(v) + "' is not " + expected);
        }
        return v;
    }

    private static void tagClusterNames(JsonNode tags, String field, Set<String> out) {
        if (tags.isObject()) {
            tagClusterName(tags, field, out);
        } else if (tags.isArray()) {
            for (JsonNode tag : tags) {
                if (!tag.isObject()) {
                    throw new MalformedEventException(field, "expected tag objects with key and value, got "
                            + Identifiers.preview(tag.toString()));
                }
                tagClusterName(tag, field, out);
            }
        } else if (!tags.isNull()) {
            throw new MalformedEventException(field, "expected a list of tags, got " + Identifiers.preview(tags.toString()));
        }
    }

    private static void tagClusterName(JsonNode tag, String field, Set<String> out) {
        JsonNode key = tag.has("key") ? tag.get("key") : tag.get("Key");
        JsonNode value = tag.has("value") ? tag.get("value") : tag.get("Value");
        if (key == null || !key.isString() || (value != null && !value.isNull() && !value.isString())) {
            throw new MalformedEventException(field, "expected a tag with string key and value, got "
                    + Identifiers.preview(tag.toString()));
        }
        ClusterTags.clusterName(key.asString(), value == null || value.isNull() ? null : value.asString())
                .ifPresent(out::add);
    }

    private static String[] segments(String pointer) {
        String[] raw = pointer.substring(1).split("/", -1);
        for (int i = 0; i < raw.length; i++) {
            raw[i] = raw[i].replace("~1", "/").replace("~0", "~");
        }
        return raw;
    }

    private static void collect(JsonNode node, String[] segments, int i, List<JsonNode> out) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return;
        }
        if (i == segments.length) {
            out.add(node);
            return;
        }
        String seg = segments[i];
        if (seg.equals("*")) {
            if (node.isArray()) {
                for (JsonNode child : node) {
                    collect(child, segments, i + 1, out);
                }
            } else {
                collect(node, segments, i + 1, out);
            }
        } else if (node.isObject()) {
            collect(node.get(seg), segments, i + 1, out);
        }
    }
}
