package dev.ekscm.checks.catalog;

import dev.ekscm.checks.Check;
import dev.ekscm.checks.CheckConfig;
import dev.ekscm.checks.CheckOutcome;
import dev.ekscm.checks.Evaluator;
import dev.ekscm.model.CheckResult;
import dev.ekscm.model.ClusterId;
import dev.ekscm.model.ClusterSnapshot;
import dev.ekscm.model.Input;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Severity;
import dev.ekscm.model.Status;
import dev.ekscm.model.aws.AwsClusterState;
import dev.ekscm.model.aws.Ec2Instance;
import dev.ekscm.model.aws.MetadataOptions;
import dev.ekscm.model.aws.Nodegroup;
import dev.ekscm.model.aws.RouteTable;
import dev.ekscm.model.aws.Subnet;
import dev.ekscm.model.k8s.KubernetesState;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Small builders for AWS state in check unit tests (fixtures cover the AWS CLI shapes). */
final class AwsTestData {
    static final LocalDate DAY = LocalDate.of(2026, 11, 27);

    private AwsTestData() {
    }

    static Subnet subnet(String id, String az, boolean mapPublicIp) {
        return new Subnet(id, "vpc-1", az, mapPublicIp, Map.of());
    }

    static RouteTable table(String id, List<String> subnets, boolean main, RouteTable.Route... routes) {
        var associations = new java.util.ArrayList<RouteTable.Association>();
        if (main) {
            associations.add(new RouteTable.Association(Optional.empty(), true));
        }
        subnets.forEach(s -> associations.add(new RouteTable.Association(Optional.of(s), false)));
        return new RouteTable(id, "vpc-1", associations, List.of(routes));
    }

    static RouteTable.Route route(String destination, String target) {
        return new RouteTable.Route(destination, target, "active");
    }

    static Nodegroup nodegroup(String name, String... subnets) {
        return new Nodegroup(name, "c", List.of(subnets), Optional.empty(), Optional.empty(), List.of(), List.of(),
                List.of(), "ACTIVE", Map.of());
    }

    static Ec2Instance instance(String id, String subnet, String state, String publicIp, MetadataOptions options,
                                String... groups) {
        return new Ec2Instance(id, subnet, "vpc-1", state, Optional.ofNullable(publicIp), options, List.of(groups),
                Optional.empty(), Map.of());
    }

    /** Collects the parts of an {@link AwsClusterState}; unset parts are empty. */
    static final class State {
        Optional<dev.ekscm.model.aws.EksCluster> cluster = Optional.empty();
        List<Nodegroup> nodegroups = List.of();
        List<dev.ekscm.model.aws.AccessEntry> accessEntries = List.of();
        List<Ec2Instance> instances = List.of();
        List<Subnet> subnets = List.of();
        List<RouteTable> routeTables = List.of();
        List<dev.ekscm.model.aws.NatGateway> natGateways = List.of();
        List<dev.ekscm.model.aws.SecurityGroup> securityGroups = List.of();
        List<dev.ekscm.model.aws.LaunchTemplateVersion> launchTemplateVersions = List.of();
        List<dev.ekscm.model.aws.EcrRepository> ecrRepositories = List.of();
        Optional<dev.ekscm.model.aws.RegistryScanning> registryScanning = Optional.empty();

        AwsClusterState build() {
            return new AwsClusterState(cluster, nodegroups, accessEntries, instances, subnets, routeTables, natGateways,
                    securityGroups, launchTemplateVersions, ecrRepositories, registryScanning);
        }
    }

    static ClusterSnapshot snapshot(AwsClusterState aws, Input... available) {
        return new ClusterSnapshot(ClusterId.offline("c"), Set.of(available), aws, KubernetesState.empty(), List.of(),
                Map.of());
    }

    static CheckOutcome evaluate(Check check, ClusterSnapshot snapshot) {
        return evaluate(check, snapshot, CheckConfig.defaults(DAY));
    }

    static CheckOutcome evaluate(Check check, ClusterSnapshot snapshot, CheckConfig config) {
        return new Evaluator(List.of(check), config).evaluate(snapshot, Scope.all()).outcomes().get(0);
    }

    static Optional<CheckResult> result(CheckOutcome outcome, String key) {
        return outcome.results().stream().filter(r -> r.resource().key().equals(key)).findFirst();
    }

    static Status status(CheckOutcome outcome, String key) {
        return result(outcome, key).map(CheckResult::status).orElse(null);
    }

    static Severity severity(CheckOutcome outcome, String key) {
        return result(outcome, key).map(CheckResult::severity).orElse(null);
    }
}
