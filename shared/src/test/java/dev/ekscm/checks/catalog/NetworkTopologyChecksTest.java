package dev.ekscm.checks.catalog;

import dev.ekscm.model.Input;
import dev.ekscm.model.Status;
import dev.ekscm.model.aws.MetadataOptions;
import dev.ekscm.model.aws.NatGateway;
import dev.ekscm.model.aws.RouteTable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ekscm.checks.catalog.AwsTestData.evaluate;
import static dev.ekscm.checks.catalog.AwsTestData.instance;
import static dev.ekscm.checks.catalog.AwsTestData.nodegroup;
import static dev.ekscm.checks.catalog.AwsTestData.result;
import static dev.ekscm.checks.catalog.AwsTestData.route;
import static dev.ekscm.checks.catalog.AwsTestData.snapshot;
import static dev.ekscm.checks.catalog.AwsTestData.status;
import static dev.ekscm.checks.catalog.AwsTestData.subnet;
import static dev.ekscm.checks.catalog.AwsTestData.table;
import static org.assertj.core.api.Assertions.assertThat;

/** Route-table logic of nodes-in-private-subnets and private-subnets-egress-via-nat. */
class NetworkTopologyChecksTest {
    private static final Input[] TOPOLOGY = {Input.SUBNETS, Input.ROUTE_TABLES, Input.NODEGROUPS};

    @Test
    void explicit_association_should_win_over_the_main_table() {
        // GIVEN a main table with an IGW route, and subnet-1 explicitly associated with a NAT table
        var s = new AwsTestData.State();
        s.nodegroups = List.of(nodegroup("ng", "subnet-1"));
        s.subnets = List.of(subnet("subnet-1", "a", false));
        s.routeTables = List.of(table("rtb-main", List.of(), true, route("0.0.0.0/0", "igw-1")),
                table("rtb-1", List.of("subnet-1"), false, route("0.0.0.0/0", "nat-1")));

        // WHEN / THEN
        var outcome = evaluate(new NodesInPrivateSubnets(), snapshot(s.build(), TOPOLOGY));
        assertThat(status(outcome, "Subnet/subnet-1")).isEqualTo(Status.PASS);
        var egress = evaluate(new PrivateSubnetsEgressViaNat(), snapshot(s.build(), TOPOLOGY));
        assertThat(status(egress, "Subnet/subnet-1")).isEqualTo(Status.PASS);
    }

    @Test
    void main_table_of_another_vpc_should_not_govern_a_subnet() {
        var s = new AwsTestData.State();
        s.nodegroups = List.of(nodegroup("ng", "subnet-1"));
        s.subnets = List.of(subnet("subnet-1", "a", false));
        s.routeTables = List.of(new RouteTable("rtb-other", "vpc-2",
                List.of(new RouteTable.Association(java.util.Optional.empty(), true)),
                List.of(route("0.0.0.0/0", "igw-2"))));

        var outcome = evaluate(new NodesInPrivateSubnets(), snapshot(s.build(), TOPOLOGY));

        assertThat(status(outcome, "Subnet/subnet-1")).isEqualTo(Status.PASS);
        assertThat(result(outcome, "Subnet/subnet-1").orElseThrow().message()).contains("no route table");
    }

    @Test
    void blackholed_igw_route_and_egress_only_igw_should_not_make_a_subnet_public() {
        var s = new AwsTestData.State();
        s.nodegroups = List.of(nodegroup("ng", "subnet-1"));
        s.subnets = List.of(subnet("subnet-1", "a", false));
        s.routeTables = List.of(table("rtb-1", List.of("subnet-1"), false,
                new RouteTable.Route("0.0.0.0/0", "igw-1", "blackhole"), route("::/0", "eigw-1")));

        var outcome = evaluate(new NodesInPrivateSubnets(), snapshot(s.build(), TOPOLOGY));

        assertThat(status(outcome, "Subnet/subnet-1")).isEqualTo(Status.PASS);
    }

    @Test
    void route_to_an_igw_for_a_specific_cidr_should_not_count_as_a_default_route() {
        var s = new AwsTestData.State();
        s.nodegroups = List.of(nodegroup("ng", "subnet-1"));
        s.subnets = List.of(subnet("subnet-1", "a", false));
        s.routeTables = List.of(table("rtb-1", List.of("subnet-1"), false, route("198.51.100.0/24", "igw-1"),
                route("0.0.0.0/0", "nat-1")));

        var outcome = evaluate(new NodesInPrivateSubnets(), snapshot(s.build(), TOPOLOGY));

        assertThat(status(outcome, "Subnet/subnet-1")).isEqualTo(Status.PASS);
    }

    @Test
    void instances_should_add_node_subnets_and_only_running_instances_are_judged() {
        var s = new AwsTestData.State();
        s.nodegroups = List.of();
        s.subnets = List.of(subnet("subnet-1", "a", true), subnet("subnet-2", "b", true));
        s.routeTables = List.of(table("rtb-main", List.of(), true));
        s.instances = List.of(instance("i-1", "subnet-1", "running", "34.1.1.1", MetadataOptions.unset()),
                instance("i-2", "subnet-2", "terminated", "34.1.1.2", MetadataOptions.unset()));

        var outcome = evaluate(new NodesInPrivateSubnets(), snapshot(s.build(), Input.SUBNETS, Input.ROUTE_TABLES,
                Input.NODEGROUPS, Input.INSTANCES));

        assertThat(status(outcome, "Subnet/subnet-1")).isEqualTo(Status.FAIL);
        assertThat(status(outcome, "Instance/i-1")).isEqualTo(Status.FAIL);
        assertThat(status(outcome, "Subnet/subnet-2")).as("subnet of a terminated instance").isNull();
        assertThat(status(outcome, "Instance/i-2")).isNull();
    }

    @Test
    void nodes_in_private_subnets_should_be_not_applicable_without_nodegroups() {
        var s = new AwsTestData.State();
        s.subnets = List.of(subnet("subnet-1", "a", true));

        var outcome = evaluate(new NodesInPrivateSubnets(), snapshot(s.build(), Input.SUBNETS, Input.ROUTE_TABLES));

        assertThat(outcome.status()).isEqualTo(Status.NOT_APPLICABLE);
    }

    @Test
    void egress_check_should_skip_public_subnets() {
        var s = new AwsTestData.State();
        s.nodegroups = List.of(nodegroup("ng", "subnet-1", "subnet-2"));
        s.subnets = List.of(subnet("subnet-1", "a", false), subnet("subnet-2", "b", false));
        s.routeTables = List.of(table("rtb-pub", List.of("subnet-1"), false, route("0.0.0.0/0", "igw-1")),
                table("rtb-priv", List.of("subnet-2"), false, route("0.0.0.0/0", "nat-1")));

        var outcome = evaluate(new PrivateSubnetsEgressViaNat(), snapshot(s.build(), TOPOLOGY));

        assertThat(status(outcome, "Subnet/subnet-1")).as("public: the other check's business").isNull();
        assertThat(status(outcome, "Subnet/subnet-2")).isEqualTo(Status.PASS);
    }

    @Test
    void egress_check_should_fail_a_nat_gateway_that_failed_when_nat_data_is_present() {
        var s = new AwsTestData.State();
        s.nodegroups = List.of(nodegroup("ng", "subnet-1"));
        s.subnets = List.of(subnet("subnet-1", "a", false));
        s.routeTables = List.of(table("rtb-1", List.of("subnet-1"), false, route("0.0.0.0/0", "nat-1")));
        s.natGateways = List.of(new NatGateway("nat-1", "subnet-9", "vpc-1", "failed", "public"));

        var withNat = evaluate(new PrivateSubnetsEgressViaNat(), snapshot(s.build(), Input.SUBNETS,
                Input.ROUTE_TABLES, Input.NODEGROUPS, Input.NAT_GATEWAYS));
        var withoutNat = evaluate(new PrivateSubnetsEgressViaNat(), snapshot(s.build(), TOPOLOGY));

        assertThat(status(withNat, "Subnet/subnet-1")).isEqualTo(Status.FAIL);
        assertThat(result(withNat, "Subnet/subnet-1").orElseThrow().message()).contains("nat-1", "failed");
        assertThat(status(withoutNat, "Subnet/subnet-1")).isEqualTo(Status.PASS);
    }

    @Test
    void egress_failure_message_should_name_vpc_endpoints_as_the_alternative() {
        var s = new AwsTestData.State();
        s.nodegroups = List.of(nodegroup("ng", "subnet-1"));
        s.subnets = List.of(subnet("subnet-1", "a", false));
        s.routeTables = List.of(table("rtb-1", List.of("subnet-1"), false, route("0.0.0.0/0", "pcx-1")));

        var outcome = evaluate(new PrivateSubnetsEgressViaNat(), snapshot(s.build(), TOPOLOGY));

        assertThat(result(outcome, "Subnet/subnet-1").orElseThrow().message())
                .contains("VPC peering connection pcx-1", "not a NAT gateway", "VPC endpoints");
    }
}
