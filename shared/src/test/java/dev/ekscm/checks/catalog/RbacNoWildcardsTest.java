package dev.ekscm.checks.catalog;

import dev.ekscm.model.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RbacNoWildcardsTest {

    @Test
    void evaluate_should_name_each_wildcard_rule_by_index_and_field() {
        var context = Manifests.context("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: mixed, namespace: shop}
                rules:
                  - {apiGroups: [""], resources: ["pods"], verbs: ["get"]}
                  - {apiGroups: [""], resources: ["*"], verbs: ["get"]}
                  - {apiGroups: ["*"], resources: ["jobs"], verbs: ["*"]}
                """);

        var results = new RbacNoWildcards().evaluate(context);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.resource().key()).isEqualTo("Role/shop/mixed");
            assertThat(r.message()).contains("rule 1 has '*' in resources")
                    .contains("rule 2 has '*' in verbs, apiGroups").doesNotContain("rule 0");
            assertThat(r.evidence()).contains("rule 2: apiGroups=[*] resources=[jobs] verbs=[*]");
        });
    }

    @Test
    void evaluate_should_judge_an_aggregated_cluster_role_that_also_lists_rules() {
        // A live cluster fills in an aggregated role's rules: they grant what they say.
        var context = Manifests.context("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: monitoring}
                aggregationRule:
                  clusterRoleSelectors: [{matchLabels: {aggregate-to-monitoring: "true"}}]
                rules:
                  - {apiGroups: ["*"], resources: ["*"], verbs: ["get", "list"]}
                """);

        assertThat(new RbacNoWildcards().evaluate(context)).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(Status.FAIL));
    }
}
