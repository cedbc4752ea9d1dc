package dev.ekscm.checks.netpol;

import dev.ekscm.checks.netpol.CalicoModel.Outcome;
import dev.ekscm.collect.ManifestReader;
import dev.ekscm.model.k8s.KubernetesState;
import dev.ekscm.model.k8s.KubernetesStateBuilder;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CalicoModelTest {
    private static final CalicoModel.Endpoint WEB = new CalicoModel.Endpoint("shop", Map.of("app", "web"),
            Map.of("team", "shop"), "web");

    static KubernetesState state(String yaml) {
        return new KubernetesStateBuilder().addAll(new ManifestReader().readText(yaml, "test")).build();
    }

    static CalicoModel model(String yaml) {
        var s = state(yaml);
        return new CalicoModel(s.calicoTiers(), s.calicoPolicies(), Destination.INSTANCE_METADATA);
    }

    static String tier(String name, String spec) {
        return """
                apiVersion: projectcalico.org/v3
                kind: Tier
                metadata: {name: %s}
                spec: %s
                ---
                """.formatted(name, spec);
    }

    /** A GlobalNetworkPolicy with the given spec lines (indented under spec). */
    static String gnp(String name, String spec) {
        return """
                apiVersion: projectcalico.org/v3
                kind: GlobalNetworkPolicy
                metadata: {name: %s}
                spec:
                """.formatted(name) + spec.indent(2) + "---\n";
    }

    static final String DENY_IMDS_THEN_PASS = """
            types: [Egress]
            egress:
              - action: Deny
                destination: {nets: [169.254.169.254/32]}
              - action: Pass
            """;

    @Nested
    class Tiers {
        @Test
        void deny_in_a_tier_ahead_of_the_default_tier_should_deny() {
            // GIVEN tier security (order 100) with a deny for the metadata address
            var model = model(tier("security", "{order: 100}")
                    + gnp("security.imds", "tier: security\nselector: all()\n" + DENY_IMDS_THEN_PASS));
            // WHEN the web pods are evaluated
            var verdict = model.evaluate(WEB);
            // THEN the deny applies and the explanation names policy, tier and rule
            assertThat(verdict.outcome()).isEqualTo(Outcome.DENIED);
            assertThat(verdict.explanation()).contains("GlobalNetworkPolicy security.imds", "tier security, order 100",
                    "egress rule 1");
            assertThat(model.hasPoliciesAhead()).isTrue();
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "no tier field (default tier)       | ''                 | ''",
                "tier default                       | 'tier: default'    | ''",
                "tier ordered at the default        | 'tier: late'       | '{order: 1000000}'",
                "tier ordered after the default     | 'tier: late'       | '{order: 2000000}'",
                "tier without order                 | 'tier: late'       | '{}'",
                "tier without Tier object           | 'tier: missing'    | '{order: 100}'"})
        void deny_outside_the_tiers_ahead_should_not_count(String why, String tierLine, String lateTierSpec) {
            // GIVEN a deny for the metadata address in a policy that is not ahead of the default tier
            String yaml = (lateTierSpec.isEmpty() ? "" : tier("late", lateTierSpec))
                    + gnp("deny-imds", tierLine + "\nselector: all()\n" + DENY_IMDS_THEN_PASS);
            var model = model(yaml);
            // THEN there is no verdict, and the ignored deny is reported with its reason
            assertThat(model.evaluate(WEB).outcome()).isEqualTo(Outcome.NO_VERDICT);
            assertThat(model.ignoredDenials(WEB)).singleElement().asString().contains("deny-imds denies");
            assertThat(model.hasPoliciesAhead()).isFalse();
        }

        @Test
        void a_deny_in_an_earlier_tier_should_win_over_an_allow_in_a_later_one() {
            var model = model(tier("first", "{order: 10}") + tier("second", "{order: 20}")
                    + gnp("second.allow", "tier: second\ntypes: [Egress]\negress: [{action: Allow}]")
                    + gnp("first.deny", "tier: first\n" + DENY_IMDS_THEN_PASS));
            assertThat(model.evaluate(WEB).explanation()).contains("first.deny").contains("denies");
        }

        @Test
        void an_allow_in_an_earlier_tier_should_be_final() {
            var model = model(tier("first", "{order: 10}") + tier("second", "{order: 20}")
                    + gnp("first.allow", "tier: first\ntypes: [Egress]\negress: [{action: Allow}]")
                    + gnp("second.deny", "tier: second\n" + DENY_IMDS_THEN_PASS));
            var verdict = model.evaluate(WEB);
            assertThat(verdict.outcome()).isEqualTo(Outcome.ALLOWED);
            assertThat(verdict.explanation()).contains("first.allow");
        }

        @Test
        void end_of_tier_should_deny_unless_the_tier_passes_by_default() {
            // GIVEN a tier policy that selects the pods and allows only 10.0.0.0/8
            String policy = gnp("t.private", "tier: t\ntypes: [Egress]\negress:\n  - action: Allow\n"
                    + "    destination: {nets: [10.0.0.0/8]}");
            // THEN with the default defaultAction (Deny) the metadata address is denied at the end of the tier
            var denyTier = model(tier("t", "{order: 100}") + policy).evaluate(WEB);
            assertThat(denyTier.outcome()).isEqualTo(Outcome.DENIED);
            assertThat(denyTier.explanation()).contains("tier t (order 100) denies").contains("by default");
            // AND with defaultAction Pass it goes on to the default tier
            assertThat(model(tier("t", "{order: 100, defaultAction: Pass}") + policy).evaluate(WEB).outcome())
                    .isEqualTo(Outcome.NO_VERDICT);
        }

        @Test
        void a_tier_whose_policies_do_not_select_the_pods_should_be_skipped() {
            var model = model(tier("t", "{order: 100}")
                    + gnp("t.api", "tier: t\nselector: app == 'api'\ntypes: [Egress]\negress: [{action: Allow, destination: {nets: [10.0.0.0/8]}}]"));
            assertThat(model.evaluate(WEB).outcome()).isEqualTo(Outcome.NO_VERDICT);
        }
    }

    @Nested
    class RuleOrder {
        private String tierT = tier("t", "{order: 100}");

        @Test
        void an_allow_before_the_deny_should_win() {
            var verdict = model(tierT + gnp("t.p", """
                    tier: t
                    types: [Egress]
                    egress:
                      - action: Allow
                        protocol: TCP
                        destination: {nets: [169.254.0.0/16], ports: [80]}
                      - action: Deny
                        destination: {nets: [169.254.169.254/32]}
                    """)).evaluate(WEB);
            assertThat(verdict.outcome()).isEqualTo(Outcome.ALLOWED);
            assertThat(verdict.explanation()).contains("egress rule 1");
        }

        @Test
        void a_pass_before_the_deny_should_skip_the_rest_of_the_tier() {
            var verdict = model(tierT + gnp("t.p", """
                    tier: t
                    types: [Egress]
                    egress:
                      - action: Pass
                      - action: Deny
                        destination: {nets: [169.254.169.254/32]}
                    """)).evaluate(WEB);
            assertThat(verdict.outcome()).isEqualTo(Outcome.NO_VERDICT);
        }

        @Test
        void a_log_rule_should_not_decide() {
            var verdict = model(tierT + gnp("t.p", """
                    tier: t
                    types: [Egress]
                    egress:
                      - action: Log
                      - action: Deny
                        destination: {nets: [169.254.169.254/32]}
                    """)).evaluate(WEB);
            assertThat(verdict.outcome()).isEqualTo(Outcome.DENIED);
        }

        @Test
        void policies_of_a_tier_should_apply_by_order_then_name() {
            String allow = "tier: t\norder: %s\ntypes: [Egress]\negress: [{action: Allow}]";
            String deny = "tier: t\norder: %s\n" + DENY_IMDS_THEN_PASS;
            assertThat(model(tierT + gnp("t.b-allow", allow.formatted(1)) + gnp("t.a-deny", deny.formatted(2)))
                    .evaluate(WEB).outcome()).isEqualTo(Outcome.ALLOWED);
            assertThat(model(tierT + gnp("t.b-allow", allow.formatted(2)) + gnp("t.a-deny", deny.formatted(1)))
                    .evaluate(WEB).outcome()).isEqualTo(Outcome.DENIED);
            // no order sorts last
            assertThat(model(tierT + gnp("t.a-allow", "tier: t\ntypes: [Egress]\negress: [{action: Allow}]")
                    + gnp("t.b-deny", deny.formatted(5))).evaluate(WEB).outcome()).isEqualTo(Outcome.DENIED);
        }
    }

    @Nested
    class RuleMatching {
        @ParameterizedTest(name = "{0}: {1}")
        @CsvSource(delimiter = '|', value = {
                "{action: Deny}                                                               | DENIED",
                "{action: Deny, destination: {nets: [169.254.169.254/32]}}                   | DENIED",
                "{action: Deny, destination: {nets: [10.0.0.0/8, 169.254.0.0/16]}}           | DENIED",
                "{action: Deny, destination: {nets: [10.0.0.0/8]}}                           | NO_VERDICT",
                "{action: Deny, destination: {nets: ['fd00:ec2::254/128']}}                  | NO_VERDICT",
                "{action: Deny, ipVersion: 6}                                                | NO_VERDICT",
                "{action: Deny, ipVersion: 4, destination: {nets: [169.254.169.254/32]}}     | DENIED",
                "{action: Deny, protocol: TCP, destination: {ports: [80]}}                   | DENIED",
                "{action: Deny, protocol: 6, destination: {ports: [80]}}                     | DENIED",
                "{action: Deny, protocol: tcp, destination: {ports: ['1:1024']}}             | DENIED",
                "{action: Deny, protocol: TCP, destination: {ports: [443]}}                  | NO_VERDICT",
                "{action: Deny, protocol: TCP, destination: {ports: ['81:1024']}}            | NO_VERDICT",
                "{action: Deny, protocol: UDP}                                               | NO_VERDICT",
                "{action: Deny, notProtocol: TCP}                                            | NO_VERDICT",
                "{action: Deny, notProtocol: UDP}                                            | DENIED",
                "{action: Deny, protocol: ICMP, icmp: {type: 8}}                             | NO_VERDICT",
                "{action: Deny, destination: {nets: [0.0.0.0/0], notNets: [169.254.0.0/16]}} | NO_VERDICT",
                "{action: Deny, destination: {nets: [0.0.0.0/0], notNets: [10.0.0.0/8]}}     | DENIED",
                "{action: Deny, protocol: TCP, destination: {notPorts: [80]}}                | NO_VERDICT",
                "{action: Deny, protocol: TCP, destination: {ports: [http]}}                 | NO_VERDICT",
                "{action: Deny, destination: {selector: all()}}                              | NO_VERDICT",
                "{action: Deny, destination: {namespaceSelector: all()}}                     | NO_VERDICT",
                "{action: Deny, destination: {nets: [not-a-cidr]}}                           | NO_VERDICT",
                "{action: Deny, source: {nets: [10.0.0.0/8]}}                                | NO_VERDICT",
                "{action: Allow, source: {nets: [10.0.0.0/8]}}                               | ALLOWED",
                "{action: Allow, protocol: TCP, destination: {ports: [http]}}                | ALLOWED",
                "{action: Allow, destination: {nets: [not-a-cidr]}}                          | ALLOWED",
                "{action: Allow, destination: {nets: [not-a-cidr, 10.0.0.0/8]}}              | ALLOWED",
                "{action: Allow, destination: {selector: role == 'db'}}                      | NO_VERDICT",
                "{action: Allow, destination: {nets: [10.0.0.0/8]}}                          | NO_VERDICT"})
        void a_rule_should_decide_only_when_it_matches_tcp_80_to_the_metadata_address(String rule, Outcome expected) {
            // GIVEN the rule, then Pass, in a tier ahead of the default tier
            var model = model(tier("t", "{order: 100}")
                    + gnp("t.p", "tier: t\ntypes: [Egress]\negress:\n  - " + rule + "\n  - action: Pass"));
            // THEN a Deny decides only on a sure match, an Allow also when unsure
            assertThat(model.evaluate(WEB).outcome()).isEqualTo(expected);
        }

        @Test
        void an_unsure_allow_should_say_what_was_assumed() {
            var model = model(tier("t", "{order: 100}")
                    + gnp("t.p", "tier: t\ntypes: [Egress]\negress: [{action: Allow, http: {methods: [GET]}}]"));
            assertThat(model.evaluate(WEB).explanation()).contains("assumed: HTTP match");
        }
    }

    @Nested
    class Selection {
        private String tierT = tier("t", "{order: 100}");

        @Test
        void namespace_selector_should_match_namespace_labels_and_name() {
            String yaml = tierT + gnp("t.by-team", "tier: t\nnamespaceSelector: team == 'shop'\n" + DENY_IMDS_THEN_PASS)
                    + gnp("t.by-name", "tier: t\nnamespaceSelector: projectcalico.org/name == 'data'\n" + DENY_IMDS_THEN_PASS);
            var model = model(yaml);
            assertThat(model.evaluate(WEB).explanation()).contains("t.by-team");
            var data = new CalicoModel.Endpoint("data", Map.of(), Map.of(), "default");
            assertThat(model.evaluate(data).explanation()).contains("t.by-name");
            var other = new CalicoModel.Endpoint("other", Map.of(), Map.of(), "default");
            assertThat(model.evaluate(other).outcome()).isEqualTo(Outcome.NO_VERDICT);
        }

        @Test
        void selector_should_see_the_labels_calico_adds() {
            var model = model(tierT + gnp("t.ns", "tier: t\nselector: projectcalico.org/namespace == 'shop' && "
                    + "projectcalico.org/serviceaccount == 'web'\n" + DENY_IMDS_THEN_PASS));
            assertThat(model.evaluate(WEB).outcome()).isEqualTo(Outcome.DENIED);
        }

        @Test
        void unparseable_selector_should_select_nothing_and_be_noted() {
            var model = model(tierT + gnp("t.or", "tier: t\nselector: app == 'web' || app == 'api'\n" + DENY_IMDS_THEN_PASS));
            assertThat(model.evaluate(WEB).outcome()).isEqualTo(Outcome.NO_VERDICT);
            assertThat(model.notes()).singleElement().asString().contains("t.or", "'||' is not supported",
                    "treated as selecting no pods");
        }

        @Test
        void namespaced_calico_policy_should_apply_only_in_its_namespace() {
            var model = model(tierT + """
                    apiVersion: projectcalico.org/v3
                    kind: NetworkPolicy
                    metadata: {name: t.shop, namespace: shop}
                    spec:
                      tier: t
                      selector: app == 'web'
                    """ + DENY_IMDS_THEN_PASS.indent(2));
            assertThat(model.evaluate(WEB).explanation()).contains("Calico NetworkPolicy shop/t.shop");
            var elsewhere = new CalicoModel.Endpoint("data", Map.of("app", "web"), Map.of(), "default");
            assertThat(model.evaluate(elsewhere).outcome()).isEqualTo(Outcome.NO_VERDICT);
        }

        @Test
        void types_should_default_from_the_rules_and_ingress_only_should_not_apply() {
            var ingressOnly = model(tierT + gnp("t.in", "tier: t\ntypes: [Ingress]\negress: [{action: Deny}]"));
            assertThat(ingressOnly.evaluate(WEB).outcome()).isEqualTo(Outcome.NO_VERDICT);
            var implied = model(tierT + gnp("t.implied", "tier: t\negress: [{action: Deny}]"));
            assertThat(implied.evaluate(WEB).outcome()).isEqualTo(Outcome.DENIED);
        }

        @Test
        void host_only_policies_should_not_apply_to_pods() {
            var model = model(tierT + gnp("t.raw", "tier: t\ndoNotTrack: true\napplyOnForward: true\n" + DENY_IMDS_THEN_PASS));
            assertThat(model.evaluate(WEB).outcome()).isEqualTo(Outcome.NO_VERDICT);
        }

        @Test
        void crd_api_group_objects_should_read_the_same() {
            var model = model("""
                    apiVersion: crd.projectcalico.org/v1
                    kind: Tier
                    metadata: {name: security}
                    spec: {order: 100}
                    ---
                    apiVersion: crd.projectcalico.org/v1
                    kind: GlobalNetworkPolicy
                    metadata: {name: security.imds}
                    spec:
                      tier: security
                    """ + DENY_IMDS_THEN_PASS.indent(2));
            assertThat(model.evaluate(WEB).outcome()).isEqualTo(Outcome.DENIED);
        }
    }

    @Test
    void calico_network_policy_should_not_be_read_as_a_kubernetes_network_policy() {
        var s = state("""
                apiVersion: projectcalico.org/v3
                kind: NetworkPolicy
                metadata: {name: t.shop, namespace: shop}
                spec: {tier: t, selector: all()}
                """);
        assertThat(s.calicoPolicies()).hasSize(1);
        assertThat(s.networkPolicies()).isEmpty();
    }
}
