package dev.ekscm.checks.catalog;

import dev.ekscm.model.Status;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdmissionWebhooksTest {

    private static RuleWithOperations rule(String groups, String resources, String operations, String scope) {
        return new RuleWithOperationsBuilder()
                .withApiGroups(List.of(groups.split(" ", -1)))
                .withApiVersions("*")
                .withResources(List.of(resources.split(" ")))
                .withOperations(List.of(operations.split(" ")))
                .withScope(scope.isEmpty() ? null : scope)
                .build();
    }

    @ParameterizedTest(name = "groups=[{0}] resources=[{1}] ops=[{2}] scope={3} -> {4}")
    @CsvSource(delimiter = '|', value = {
            // apiGroups ('' = core) | resources                 | operations     | scope      | intercepts
            "''                      | pods                      | CREATE         | ''         | true",
            "''                      | pods                      | *              | ''         | true",
            "''                      | pods                      | UPDATE DELETE  | ''         | false",
            "''                      | pods/exec                 | CREATE         | ''         | false",
            "''                      | pods/*                    | CREATE         | ''         | false",
            "''                      | replicationcontrollers    | CREATE         | ''         | true",
            "apps                    | deployments               | CREATE UPDATE  | ''         | true",
            "apps                    | deployments/scale         | CREATE         | ''         | false",
            "''                      | deployments               | CREATE         | ''         | false",
            "batch                   | cronjobs jobs             | CREATE         | Namespaced | true",
            "apps                    | jobs                      | CREATE         | ''         | false",
            "*                       | *                         | CREATE         | ''         | true",
            "*                       | */*                       | CREATE         | *          | true",
            "*                       | *                         | CREATE         | Cluster    | false",
            "cert-manager.io         | */*                       | CREATE         | ''         | false",
            "networking.k8s.io       | *                         | CREATE         | ''         | false",
            "batch                   | *                         | CREATE         | ''         | true",
            "*                       | configmaps secrets        | CREATE         | ''         | false",
            "*                       | statefulsets              | CREATE         | ''         | true",
    })
    void intercepts_should_need_create_of_a_workload_resource_in_its_group(String groups, String resources,
                                                                         String operations, String scope,
                                                                         boolean expected) {
        assertThat(AdmissionWebhooks.intercepts(rule(groups, resources, operations, scope))).isEqualTo(expected);
    }

    @Test
    void bundled_data_should_know_eks_controllers_as_non_policy() {
        var known = AdmissionWebhooks.bundled();

        assertThat(known.nonPolicyReason("vpc-resource-validating-webhook", "vsecuritygrouppolicy.vpc.k8s.aws"))
                .hasValueSatisfying(r -> assertThat(r).contains("EKS"));
        assertThat(known.nonPolicyReason("eks-aws-auth-configmap-validation-webhook", "x")).isPresent();
        assertThat(known.nonPolicyReason("aws-load-balancer-webhook", "vingress.elbv2.k8s.aws")).isPresent();
        assertThat(known.nonPolicyReason("cert-manager-webhook", "webhook.cert-manager.io")).isPresent();
        assertThat(known.nonPolicyReason("platform-guardrails", "workloads.guardrails.acme.example")).isEmpty();
        assertThat(known.nonPolicyReason("kyverno-resource-validating-webhook-cfg", "validate.kyverno.svc-fail")).isEmpty();
    }

    @Test
    void bundled_data_should_recognise_policy_engines_by_configuration_or_webhook_name() {
        var known = AdmissionWebhooks.bundled();

        assertThat(known.engine("kyverno-resource-validating-webhook-cfg", "validate.kyverno.svc-fail")).contains("Kyverno");
        assertThat(known.engine("custom-name", "validate.kyverno.svc-ignore")).contains("Kyverno");
        assertThat(known.engine("gatekeeper-validating-webhook-configuration", "validation.gatekeeper.sh"))
                .hasValueSatisfying(e -> assertThat(e).startsWith("Gatekeeper"));
        assertThat(known.engine("clusterwide-privileged-pods", "clusterwide-privileged-pods.kubewarden.admission"))
                .contains("Kubewarden");
        assertThat(known.engine("polaris-webhook", "polaris.fairwinds.com")).contains("Polaris");
        assertThat(known.engine("platform-guardrails", "workloads.guardrails.acme.example")).isEmpty();
    }

    @Test
    void read_should_say_which_field_is_missing() {
        String yaml = "nonPolicy:\n  - names: [x]\npolicyEngines:\n  - names: [y]\n";

        assertThatThrownBy(() -> AdmissionWebhooks.read(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "custom.yaml"))
                .hasMessageContaining("custom.yaml").hasMessageContaining("'reason'");
    }

    @Test
    void evaluate_should_not_count_a_known_non_policy_webhook_even_when_it_intercepts_pods() {
        // GIVEN a custom list that calls the in-house webhook non-policy
        var known = AdmissionWebhooks.read(new ByteArrayInputStream("""
                nonPolicy:
                  - names: ["*.guardrails.acme.example"]
                    reason: only adds defaults
                policyEngines:
                  - engine: Kyverno
                    names: ["*.kyverno.svc-fail"]
                """.getBytes(StandardCharsets.UTF_8)), "test");
        var context = Manifests.context("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingWebhookConfiguration
                metadata:
                  name: platform-guardrails
                webhooks:
                  - name: workloads.guardrails.acme.example
                    admissionReviewVersions: ["v1"]
                    sideEffects: None
                    clientConfig: {url: "https://guardrails.acme.example/validate"}
                    rules:
                      - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"]}
                """);

        // WHEN
        var results = new AdmissionPolicyEnforced(known).evaluate(context);

        // THEN
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.resource().key()).isEqualTo("Cluster/test-cluster");
            assertThat(r.evidence()).contains("only adds defaults");
        });
    }

    @Test
    void evaluate_should_name_the_engine_and_the_binding_in_pass_evidence() {
        var context = Manifests.context("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: no-latest}
                spec:
                  matchConstraints:
                    resourceRules:
                      - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"]}
                  validations:
                    - expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: no-latest-audit}
                spec: {policyName: no-latest, validationActions: [Audit]}
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingWebhookConfiguration
                metadata: {name: kyverno-resource-validating-webhook-cfg}
                webhooks:
                  - name: validate.kyverno.svc-fail
                    admissionReviewVersions: ["v1"]
                    sideEffects: None
                    clientConfig: {service: {name: kyverno-svc, namespace: kyverno}}
                    rules:
                      - {apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"]}
                """);

        var results = new AdmissionPolicyEnforced().evaluate(context);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.PASS);
            assertThat(r.evidence()).contains("ValidatingAdmissionPolicy no-latest bound by no-latest-audit "
                    + "(validationActions Audit)").contains("Kyverno: webhook validate.kyverno.svc-fail");
        });
    }
}
