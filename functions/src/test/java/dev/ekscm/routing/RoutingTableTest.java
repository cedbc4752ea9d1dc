package dev.ekscm.routing;

import dev.ekscm.model.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The routing table row by row against DESIGN.md section 5 (expectations written here, not read from the table). */
class RoutingTableTest {
    private final RoutingTable table = RoutingTable.builtIn();

    @ParameterizedTest(name = "{0} {1} -> {2} via {3}")
    @CsvSource(delimiter = ';', textBlock = """
            eks.amazonaws.com; CreateCluster;               ALL;                                    CLUSTER_NAME
            eks.amazonaws.com; UpdateClusterConfig;         CLUSTER_CONFIG ACCESS SECURITY_GROUPS;  CLUSTER_NAME
            eks.amazonaws.com; UpdateClusterVersion;        CLUSTER_CONFIG;                         CLUSTER_NAME
            eks.amazonaws.com; AssociateEncryptionConfig;   CLUSTER_CONFIG;                         CLUSTER_NAME
            eks.amazonaws.com; TagResource;                 CLUSTER_CONFIG;                         EKS_ARN
            eks.amazonaws.com; UntagResource;               CLUSTER_CONFIG;                         EKS_ARN
            eks.amazonaws.com; CreateNodegroup;             NODES NETWORK_TOPOLOGY;                 CLUSTER_NAME
            eks.amazonaws.com; UpdateNodegroupConfig;       NODES NETWORK_TOPOLOGY;                 CLUSTER_NAME
            eks.amazonaws.com; UpdateNodegroupVersion;      NODES NETWORK_TOPOLOGY;                 CLUSTER_NAME
            eks.amazonaws.com; DeleteNodegroup;             NODES NETWORK_TOPOLOGY;                 CLUSTER_NAME
            eks.amazonaws.com; CreateAccessEntry;           ACCESS;                                 CLUSTER_NAME
            eks.amazonaws.com; UpdateAccessEntry;           ACCESS;                                 CLUSTER_NAME
            eks.amazonaws.com; AssociateAccessPolicy;       ACCESS;                                 CLUSTER_NAME
            eks.amazonaws.com; DisassociateAccessPolicy;    ACCESS;                                 CLUSTER_NAME
            eks.amazonaws.com; DeleteAccessEntry;           ACCESS;                                 CLUSTER_NAME
            ec2.amazonaws.com; RunInstances;                NODES;                                  CLUSTER_TAGS
            ec2.amazonaws.com; ModifyInstanceMetadataOptions; NODES;                                INSTANCE
            ec2.amazonaws.com; CreateLaunchTemplateVersion; NODES;                                  LAUNCH_TEMPLATE LAUNCH_TEMPLATE CLUSTER_TAGS
            ec2.amazonaws.com; ModifyLaunchTemplate;        NODES;                                  LAUNCH_TEMPLATE LAUNCH_TEMPLATE CLUSTER_TAGS
            ec2.amazonaws.com; AuthorizeSecurityGroupIngress; SECURITY_GROUPS;                      SECURITY_GROUP
            ec2.amazonaws.com; ModifySecurityGroupRules;    SECURITY_GROUPS;                        SECURITY_GROUP
            ec2.amazonaws.com; ModifySubnetAttribute;       NETWORK_TOPOLOGY;                       SUBNET
            ec2.amazonaws.com; CreateRoute;                 NETWORK_TOPOLOGY;                       ROUTE_TABLE
            ec2.amazonaws.com; ReplaceRoute;                NETWORK_TOPOLOGY;                       ROUTE_TABLE
            ec2.amazonaws.com; AssociateRouteTable;         NETWORK_TOPOLOGY;                       SUBNET ROUTE_TABLE
            ec2.amazonaws.com; ReplaceRouteTableAssociation; NETWORK_TOPOLOGY;                      ROUTE_TABLE
            """)
    void row_should_match_design_section_5(String source, String eventName, String scopes, String resolutions) {
        Route route = table.find(source, eventName).orElseThrow(() -> new AssertionError("no route for " + eventName));
        Set<Scope> expected = scopes.equals("ALL") ? Scope.all()
                : Arrays.stream(scopes.split(" ")).map(Scope::valueOf).collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
        assertThat(route.scopes()).isEqualTo(expected);
        assertThat(route.locators()).extracting(l -> l.resolution().name()).containsExactly(resolutions.split(" "));
        assertThat(route.valueRequired()).isEqualTo(!eventName.equals("RunInstances"));
        assertThat(route.why()).isNotBlank();
    }

    @Test
    void table_should_route_exactly_the_design_rows_plus_update_access_entry() {
        assertThat(table.eventNames("eks.amazonaws.com")).containsExactlyInAnyOrder("CreateCluster", "UpdateClusterConfig",
                "UpdateClusterVersion", "AssociateEncryptionConfig", "TagResource", "UntagResource", "CreateNodegroup",
                "UpdateNodegroupConfig", "UpdateNodegroupVersion", "DeleteNodegroup", "CreateAccessEntry", "UpdateAccessEntry",
                "AssociateAccessPolicy", "DisassociateAccessPolicy", "DeleteAccessEntry");
        assertThat(table.eventNames("ec2.amazonaws.com")).containsExactlyInAnyOrder("RunInstances",
                "ModifyInstanceMetadataOptions", "CreateLaunchTemplateVersion", "ModifyLaunchTemplate",
                "AuthorizeSecurityGroupIngress", "ModifySecurityGroupRules", "ModifySubnetAttribute", "CreateRoute",
                "ReplaceRoute", "AssociateRouteTable", "ReplaceRouteTableAssociation");
        assertThat(table.routes()).hasSize(26);
    }

    @Test
    void no_route_should_match_a_read_only_call_name() {
        assertThat(table.routes()).noneMatch(r -> r.eventName().matches("(Describe|List|Get).*"));
    }

    @Test
    void parse_should_reject_an_unknown_key_or_scope_with_the_row() {
        String badKey = "routes:\n  - source: eks.amazonaws.com\n    events: [X]\n    scope: [NODES]\n";
        assertThatThrownBy(() -> RoutingTable.parse(new ByteArrayInputStream(badKey.getBytes(StandardCharsets.UTF_8)), "t.yaml"))
                .hasMessageContaining("t.yaml routes[0]").hasMessageContaining("unknown key `scope`");
        String badScope = "routes:\n  - source: eks.amazonaws.com\n    events: [X]\n    scopes: [NODE]\n"
                + "    locate:\n      - resolve: CLUSTER_NAME\n        at: [/requestParameters/name]\n";
        assertThatThrownBy(() -> RoutingTable.parse(new ByteArrayInputStream(badScope.getBytes(StandardCharsets.UTF_8)), "t.yaml"))
                .hasMessageContaining("unknown scope NODE");
    }

    @Test
    void of_should_refuse_a_duplicate_row() {
        var route = new Route("eks.amazonaws.com", "CreateCluster", List.of(new Locator(List.of("/a"), Resolution.CLUSTER_NAME)),
                Scope.all(), true, "x");
        assertThatThrownBy(() -> RoutingTable.of(List.of(route, route))).hasMessageContaining("twice");
    }
}
