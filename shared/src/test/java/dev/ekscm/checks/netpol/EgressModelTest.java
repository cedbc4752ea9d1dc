package dev.ekscm.checks.netpol;

import dev.ekscm.checks.netpol.EgressModel.Reach;
import dev.ekscm.collect.ManifestReader;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EgressModelTest {
    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front");

    static List<NetworkPolicy> policies(String yaml) {
        return new ManifestReader().readText(yaml, "test").stream().map(NetworkPolicy.class::cast).toList();
    }

    static EgressModel.Verdict evaluate(String yaml, Map<String, String> labels) {
        return evaluate(yaml, labels, List.of());
    }

    static EgressModel.Verdict evaluate(String yaml, Map<String, String> labels, List<Container> containers) {
        return new EgressModel(policies(yaml), Destination.INSTANCE_METADATA).evaluate(labels, containers);
    }

    /** One policy selecting all pods for Egress with the given egress rules (YAML list items). */
    static String egressPolicy(String rules) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: shop}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                  egress:
                """ + rules.indent(4);
    }

    @Nested
    class Selection {
        @ParameterizedTest(name = "{0} selects app=web,tier=front: {1}")
        @CsvSource(delimiter = '|', value = {
                "{}                                                                   | true",
                "{matchLabels: {}}                                                    | true",
                "{matchLabels: {app: web}}                                            | true",
                "{matchLabels: {app: web, tier: back}}                                | false",
                "{matchLabels: {app: api}}                                            | false",
                "{matchExpressions: [{key: app, operator: In, values: [web, api]}]}   | true",
                "{matchExpressions: [{key: app, operator: In, values: [api]}]}        | false",
                "{matchExpressions: [{key: app, operator: NotIn, values: [api]}]}     | true",
                "{matchExpressions: [{key: app, operator: NotIn, values: [web]}]}     | false",
                "{matchExpressions: [{key: team, operator: NotIn, values: [x]}]}      | true",
                "{matchExpressions: [{key: tier, operator: Exists}]}                  | true",
                "{matchExpressions: [{key: team, operator: Exists}]}                  | false",
                "{matchExpressions: [{key: team, operator: DoesNotExist}]}            | true",
                "{matchExpressions: [{key: app, operator: DoesNotExist}]}             | false",
                "{matchExpressions: [{key: app, operator: Equals, values: [web]}]}    | false",
                "{matchLabels: {app: web}, matchExpressions: [{key: tier, operator: In, values: [back]}]} | false"})
        void pod_selector_should_follow_kubernetes_label_selector_semantics(String selector, boolean selected) {
            // GIVEN a deny-all egress policy with this podSelector
            String yaml = """
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: deny, namespace: shop}
                    spec:
                      podSelector: %s
                      policyTypes: [Egress]
                    """.formatted(selector);
            // WHEN the web pods are judged
            var verdict = evaluate(yaml, WEB);
            // THEN they are isolated (blocked) exactly when the selector selects them
            assertThat(verdict.reach()).isEqualTo(selected ? Reach.BLOCKED : Reach.NOT_ISOLATED);
        }

        @Test
        void pods_should_not_be_isolated_without_any_policy() {
            var verdict = new EgressModel(List.of(), Destination.INSTANCE_METADATA).evaluate(WEB, List.of());
            assertThat(verdict.reach()).isEqualTo(Reach.NOT_ISOLATED);
            assertThat(verdict.explanation()).contains("no NetworkPolicy in its namespace restricts egress");
        }

        @Test
        void explanation_should_name_the_egress_policies_that_do_not_select_the_pods() {
            var verdict = evaluate("""
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: api-only, namespace: shop}
                    spec:
                      podSelector: {matchLabels: {app: api}}
                      policyTypes: [Egress]
                    """, WEB);
            assertThat(verdict.reach()).isEqualTo(Reach.NOT_ISOLATED);
            assertThat(verdict.explanation()).contains("api-only [podSelector app=api]");
        }
    }

    @Nested
    class PolicyTypes {
        @Test
        void ingress_only_policy_should_not_isolate_for_egress() {
            var verdict = evaluate("""
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: ingress, namespace: shop}
                    spec:
                      podSelector: {}
                      policyTypes: [Ingress]
                    """, WEB);
            assertThat(verdict.reach()).isEqualTo(Reach.NOT_ISOLATED);
        }

        @Test
        void absent_policy_types_should_mean_egress_only_when_there_is_an_egress_section() {
            // GIVEN no policyTypes and no egress section: Kubernetes defaults to [Ingress]
            var noEgress = evaluate("""
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: implied-ingress, namespace: shop}
                    spec:
                      podSelector: {}
                    """, WEB);
            // GIVEN no policyTypes but an egress section: [Ingress, Egress]
            var withEgress = evaluate("""
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: implied-egress, namespace: shop}
                    spec:
                      podSelector: {}
                      egress:
                        - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
                    """, WEB);
            // THEN only the second isolates the pods for egress
            assertThat(noEgress.reach()).isEqualTo(Reach.NOT_ISOLATED);
            assertThat(withEgress.reach()).isEqualTo(Reach.BLOCKED);
        }

        @Test
        void empty_egress_list_should_count_as_no_egress_section() {
            var verdict = evaluate("""
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: empty, namespace: shop}
                    spec:
                      podSelector: {}
                      egress: []
                    """, WEB);
            assertThat(verdict.reach()).isEqualTo(Reach.NOT_ISOLATED);
        }

        @Test
        void egress_type_without_rules_should_allow_nothing() {
            var verdict = evaluate("""
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: deny-all, namespace: shop}
                    spec:
                      podSelector: {}
                      policyTypes: [Ingress, Egress]
                    """, WEB);
            assertThat(verdict.reach()).isEqualTo(Reach.BLOCKED);
            assertThat(verdict.explanation()).contains("deny-all").contains("no egress rules");
        }
    }

    @Nested
    class Union {
        private static final String DENY_ALL = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all, namespace: shop}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                ---
                """;

        @Test
        void one_permissive_policy_should_make_a_restrictive_one_moot() {
            // GIVEN deny-all plus a policy that allows everything to the web pods
            String yaml = DENY_ALL + """
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: web-open, namespace: shop}
                    spec:
                      podSelector: {matchLabels: {app: web}}
                      policyTypes: [Egress]
                      egress: [{}]
                    """;
            // WHEN web and another pod are judged
            var web = evaluate(yaml, WEB);
            var other = evaluate(yaml, Map.of("app", "db"));
            // THEN the union allows the metadata address to web only
            assertThat(web.reach()).isEqualTo(Reach.ALLOWED);
            assertThat(web.explanation()).contains("web-open egress rule 1").contains("any destination");
            assertThat(web.selectingPolicies()).containsExactly("deny-all", "web-open");
            assertThat(other.reach()).isEqualTo(Reach.BLOCKED);
        }

        @Test
        void several_restrictive_policies_should_stay_blocked() {
            String yaml = DENY_ALL + """
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: web-private, namespace: shop}
                    spec:
                      podSelector: {matchLabels: {app: web}}
                      policyTypes: [Egress]
                      egress:
                        - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
                        - ports: [{port: 443}]
                    """;
            var web = evaluate(yaml, WEB);
            assertThat(web.reach()).isEqualTo(Reach.BLOCKED);
            assertThat(web.explanation()).contains("deny-all, web-private select").contains("none of their 2 egress rules");
        }

        @Test
        void rule_should_need_both_its_destination_and_its_port() {
            // GIVEN one rule to 169.254.0.0/16 on 443, another to 10.0.0.0/8 on 80: neither alone allows IMDS
            var verdict = evaluate(egressPolicy("""
                    - to: [{ipBlock: {cidr: 169.254.0.0/16}}]
                      ports: [{port: 443}]
                    - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
                      ports: [{port: 80}]
                    """), WEB);
            assertThat(verdict.reach()).isEqualTo(Reach.BLOCKED);
        }
    }

    @Nested
    class Destinations {
        @ParameterizedTest(name = "to {0}: {1}")
        @CsvSource(delimiter = '|', value = {
                "[]                                                                 | ALLOWED",
                "[{ipBlock: {cidr: 0.0.0.0/0}}]                                     | ALLOWED",
                "[{ipBlock: {cidr: 169.254.169.254/32}}]                            | ALLOWED",
                "[{ipBlock: {cidr: 10.0.0.0/8}}]                                    | BLOCKED",
                "[{ipBlock: {cidr: '::/0'}}]                                        | BLOCKED",
                "[{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}]       | BLOCKED",
                "[{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.0.0/16]}}]           | BLOCKED",
                "[{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.170.23/32]}}]        | ALLOWED",
                "[{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8, 169.254.169.0/24]}}] | BLOCKED",
                "[{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}, {ipBlock: {cidr: 169.254.169.254/32}}] | ALLOWED",
                "[{podSelector: {}}]                                                | BLOCKED",
                "[{namespaceSelector: {}}]                                          | BLOCKED",
                "[{namespaceSelector: {}, podSelector: {}}]                         | BLOCKED"})
        void to_should_allow_the_address_only_through_an_ip_block_that_covers_it(String to, Reach expected) {
            var verdict = evaluate(egressPolicy("- to: " + to + "\n"), WEB);
            assertThat(verdict.reach()).isEqualTo(expected);
        }

        @Test
        void explanation_should_name_the_ip_block_and_its_except() {
            var verdict = evaluate(egressPolicy("- to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]\n"), WEB);
            assertThat(verdict.explanation()).contains("ipBlock 0.0.0.0/0 except [10.0.0.0/8]");
        }
    }

    @Nested
    class Ports {
        @ParameterizedTest(name = "ports {0}: {1}")
        @CsvSource(delimiter = '|', value = {
                "[]                                              | ALLOWED",
                "[{port: 80}]                                    | ALLOWED",
                "[{protocol: TCP, port: 80}]                     | ALLOWED",
                "[{port: '80'}]                                  | ALLOWED",
                "[{protocol: UDP, port: 80}]                     | BLOCKED",
                "[{protocol: SCTP, port: 80}]                    | BLOCKED",
                "[{port: 443}]                                   | BLOCKED",
                "[{port: 443}, {port: 80}]                       | ALLOWED",
                "[{protocol: TCP}]                               | ALLOWED",
                "[{protocol: UDP}]                               | BLOCKED",
                "[{port: 1, endPort: 1024}]                      | ALLOWED",
                "[{port: 80, endPort: 80}]                       | ALLOWED",
                "[{port: 81, endPort: 1024}]                     | BLOCKED",
                "[{port: 1, endPort: 79}]                        | BLOCKED",
                "[{protocol: UDP, port: 1, endPort: 1024}]       | BLOCKED"})
        void ports_should_include_tcp_80_for_the_rule_to_allow_it(String ports, Reach expected) {
            var verdict = evaluate(egressPolicy("- to: [{ipBlock: {cidr: 0.0.0.0/0}}]\n  ports: " + ports + "\n"), WEB);
            assertThat(verdict.reach()).isEqualTo(expected);
        }

        @Test
        void named_port_should_match_when_the_pod_declares_it_as_80() {
            // GIVEN a rule on named port "http"
            String yaml = egressPolicy("- ports: [{port: http}]\n");
            Container http80 = new ContainerBuilder().withName("web").addNewPort().withName("http")
                    .withContainerPort(80).endPort().build();
            Container http8080 = new ContainerBuilder().withName("web").addNewPort().withName("http")
                    .withContainerPort(8080).endPort().build();
            Container udp80 = new ContainerBuilder().withName("web").addNewPort().withName("http")
                    .withContainerPort(80).withProtocol("UDP").endPort().build();
            // THEN it is read as TCP 80 only when a container of the pod says so
            assertThat(evaluate(yaml, WEB, List.of(http80)).reach()).isEqualTo(Reach.ALLOWED);
            assertThat(evaluate(yaml, WEB, List.of(http8080)).reach()).isEqualTo(Reach.BLOCKED);
            assertThat(evaluate(yaml, WEB, List.of(udp80)).reach()).isEqualTo(Reach.BLOCKED);
            assertThat(evaluate(yaml, WEB, List.of()).reach()).isEqualTo(Reach.BLOCKED);
            assertThat(evaluate(yaml, WEB, List.of(http80)).explanation()).contains("named port 'http'");
        }
    }

    @Test
    void network_policies_should_report_types_and_all_pod_selection() {
        var ps = policies("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: a, namespace: shop}
                spec:
                  podSelector: {}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: b, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Egress]
                """);
        assertThat(NetworkPolicies.affectsIngress(ps.get(0))).isTrue();
        assertThat(NetworkPolicies.affectsEgress(ps.get(0))).isFalse();
        assertThat(NetworkPolicies.typesImplied(ps.get(0))).isTrue();
        assertThat(NetworkPolicies.selectsAllPods(ps.get(0))).isTrue();
        assertThat(NetworkPolicies.affectsIngress(ps.get(1))).isFalse();
        assertThat(NetworkPolicies.affectsEgress(ps.get(1))).isTrue();
        assertThat(NetworkPolicies.selectsAllPods(ps.get(1))).isFalse();
    }
}
