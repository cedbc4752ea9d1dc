package dev.ekscm.template;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ekscm.functions.IamPermissions;
import dev.ekscm.functions.TestSupport;
import dev.ekscm.routing.RoutingTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.ekscm.template.CfnTemplate.at;
import static dev.ekscm.template.CfnTemplate.list;
import static dev.ekscm.template.CfnTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** template.yaml: lint-clean, every handler real, every IAM action the code declares granted and nothing else. */
class TemplateTest {
    static final Path ROOT = TestSupport.root();
    static final Path TEMPLATE = ROOT.resolve("template.yaml");
    /** Actions AWS does not scope to a resource: the only ones granted on "*". */
    static final Set<String> RESOURCE_STAR_OK = Set.of("ec2:DescribeInstances", "ec2:DescribeLaunchTemplates",
            "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeNatGateways",
            "ec2:DescribeLaunchTemplateVersions", "eks:ListClusters", "ecr:GetRegistryScanningConfiguration",
            "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses");
    static CfnTemplate template;

    @BeforeAll
    static void load() {
        template = CfnTemplate.load(TEMPLATE);
    }

    static Map<String, Map<String, Object>> functions() {
        return template.resourcesOfType("AWS::Serverless::Function");
    }

    @Test
    void cfn_lint_should_report_no_error_and_no_warning() {
        var cfnLint = PythonTool.find("cfn-lint", "cfn-lint", ".cfn-venv", ROOT)
                .orElseGet(() -> fail("cfn-lint is not installed and `pip install cfn-lint` into " + ROOT.resolve(".cfn-venv")
                        + " failed: install python3 with pip (or cfn-lint) to run this test"));
        var result = PythonTool.run(List.of(cfnLint.toString(), TEMPLATE.toString()), ROOT, 300);
        assertThat(result.output()).as("cfn-lint output").isBlank();
        assertThat(result.exitCode()).as("cfn-lint exit code").isZero();
    }

    @Test
    void every_handler_should_be_a_public_class_with_the_lambda_method_and_a_no_arg_constructor() throws Exception {
        assertThat(functions()).containsOnlyKeys("ChangeEventsFunction", "ScheduledSweepFunction", "ClusterCheckFunction");
        for (var entry : functions().entrySet()) {
            String handler = (String) at(entry.getValue(), "Properties", "Handler");
            String[] parts = handler.split("::");
            Class<?> type = Class.forName(parts[0]);
            assertThat(Modifier.isPublic(type.getModifiers())).as(handler).isTrue();
            assertThat(type.getConstructor()).as(handler + " no-arg constructor").isNotNull();
            Method method;
            if (RequestStreamHandler.class.isAssignableFrom(type)) {
                method = type.getMethod(parts[1], InputStream.class, OutputStream.class, Context.class);
            } else {
                assertThat(RequestHandler.class).isAssignableFrom(type);
                method = java.util.Arrays.stream(type.getMethods())
                        .filter(m -> m.getName().equals(parts[1]) && m.getParameterCount() == 2
                                && m.getParameterTypes()[1] == Context.class && !m.isBridge())
                        .findFirst().orElseThrow(() -> new AssertionError(handler + " has no " + parts[1] + "(event, Context)"));
            }
            assertThat(method.getName()).isEqualTo(parts[1]);
        }
    }

    @Test
    void functions_should_be_java21_arm64_with_snapstart_on_published_versions() {
        var globals = map(template.root(), "Globals", "Function");
        assertThat(globals.get("Runtime")).isEqualTo("java21");
        assertThat(list(globals.get("Architectures"))).containsExactly("arm64");
        assertThat(globals.get("AutoPublishAlias")).isEqualTo("live");
        assertThat(map(globals, "SnapStart").get("ApplyOn")).isEqualTo("PublishedVersions");
        for (var f : functions().values()) {
            assertThat(at(f, "Properties", "Runtime")).isNull(); // no function overrides the globals
            assertThat(at(f, "Metadata", "BuildMethod")).isEqualTo("makefile");
        }
    }

    @Test
    void event_rules_should_list_exactly_the_routed_event_names_and_exclude_the_monitor_roles() {
        var events = map(functions().get("ChangeEventsFunction"), "Properties", "Events");
        var table = RoutingTable.builtIn();
        for (var rule : Map.of("EksApiCalls", "eks", "Ec2ApiCalls", "ec2").entrySet()) {
            var pattern = map(events, rule.getKey(), "Properties", "Pattern");
            assertThat(list(pattern.get("source"))).containsExactly("aws." + rule.getValue());
            assertThat(list(pattern.get("detail-type"))).containsExactly("AWS API Call via CloudTrail");
            assertThat(list(map(pattern, "detail").get("eventName")))
                    .containsExactlyElementsOf(table.eventNames(rule.getValue() + ".amazonaws.com"));
            String or = String.valueOf(map(pattern, "detail").get("$or"));
            assertThat(or).contains("anything-but").contains("ClusterCheckRole.Arn").contains("exists=false");
            assertThat(map(events, rule.getKey(), "Properties", "DeadLetterConfig")).isNotEmpty();
        }
        var onFailure = map(functions().get("ChangeEventsFunction"), "Properties", "EventInvokeConfig", "DestinationConfig", "OnFailure");
        assertThat(String.valueOf(onFailure.get("Destination"))).contains("ChangeEventsDeadLetterQueue");
    }

    @Test
    void environment_should_carry_every_variable_design_section_9_names() {
        var vars = new TreeSet<String>(map(template.root(), "Globals", "Function", "Environment", "Variables").keySet());
        functions().values().forEach(f -> vars.addAll(map(f, "Properties", "Environment", "Variables").keySet()));
        assertThat(vars).contains("RECHECK_QUEUE_URL", "FINDINGS_TABLE", "ALERTS_TOPIC_ARN", "SLACK_WEBHOOK_SECRET_ARN",
                "ALERT_MIN_SEVERITY", "REGIONS", "MEMBER_ROLE_NAME", "MONITOR_ROLE_ARNS", "REMEDIATION_ENABLED");
        assertThat(map(functions().get("ChangeEventsFunction"), "Properties", "Environment", "Variables"))
                .containsKeys("RECHECK_QUEUE_URL", "MONITOR_ROLE_ARNS");
        assertThat(map(functions().get("ClusterCheckFunction"), "Properties", "Environment", "Variables"))
                .containsKeys("FINDINGS_TABLE", "ALERTS_TOPIC_ARN", "SLACK_WEBHOOK_SECRET_ARN", "ALERT_MIN_SEVERITY", "REMEDIATION_ENABLED");
    }

    @Test
    void stateful_resources_should_be_configured_as_design_section_9_says() {
        var table = template.resources().get("FindingsTable");
        assertThat(table.get("DeletionPolicy")).isEqualTo("Retain");
        assertThat(table.get("UpdateReplacePolicy")).isEqualTo("Retain");
        assertThat(at(table, "Properties", "BillingMode")).isEqualTo("PAY_PER_REQUEST");
        assertThat(at(table, "Properties", "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")).isEqualTo(true);
        assertThat(at(table, "Properties", "SSESpecification", "SSEEnabled")).isEqualTo(true);
        assertThat(at(table, "Properties", "TimeToLiveSpecification", "AttributeName")).isEqualTo("expiresAt");
        assertThat(String.valueOf(at(table, "Properties", "GlobalSecondaryIndexes"))).contains("open-by-severity");
        var queue = template.resources().get("RecheckQueue");
        assertThat(at(queue, "Properties", "FifoQueue")).isEqualTo(true);
        assertThat(at(queue, "Properties", "ContentBasedDeduplication")).isEqualTo(false);
        assertThat(String.valueOf(at(queue, "Properties", "RedrivePolicy"))).contains("RecheckDeadLetterQueue").contains("maxReceiveCount=5");
        assertThat(at(template.resources().get("AlertsTopic"), "Properties", "KmsMasterKeyId")).isNotNull();
        assertThat(template.resourcesOfType("AWS::Logs::LogGroup")).hasSize(3)
                .allSatisfy((id, lg) -> assertThat(at(lg, "Properties", "RetentionInDays")).isNotNull());
        assertThat(template.resourcesOfType("AWS::CloudWatch::Alarm")).containsKeys("RecheckDeadLetterAlarm",
                "ChangeEventsDeadLetterAlarm", "SweepDeadLetterAlarm", "ChangeEventsErrorsAlarm", "ScheduledSweepErrorsAlarm",
                "ClusterCheckErrorsAlarm");
        var sqsEvent = map(functions().get("ClusterCheckFunction"), "Properties", "Events", "Recheck", "Properties");
        assertThat(list(sqsEvent.get("FunctionResponseTypes"))).containsExactly("ReportBatchItemFailures");
    }

    /** Actions granted to a function's role, from its inline policies (both branches of conditions). */
    static Map<String, Set<String>> grantedActions(String roleId, Map<String, Set<String>> resourcesByAction) {
        var role = template.resources().get(roleId);
        assertThat(list(at(role, "Properties", "ManagedPolicyArns"))).as(roleId + " managed policies").isEmpty();
        var granted = new LinkedHashMap<String, Set<String>>();
        for (Object policy : list(at(role, "Properties", "Policies"))) {
            CfnTemplate.eachStatement(at(policy, "PolicyDocument", "Statement"), statement -> {
                assertThat(statement.get("Effect")).isEqualTo("Allow");
                for (Object action : list(statement.get("Action"))) {
                    String a = (String) action;
                    assertThat(a).as(roleId + " grants a wildcard action").doesNotContain("*");
                    granted.computeIfAbsent(a, k -> new TreeSet<>());
                    for (Object resource : list(statement.get("Resource"))) {
                        granted.get(a).add(String.valueOf(resource));
                        resourcesByAction.computeIfAbsent(a, k -> new TreeSet<>()).add(String.valueOf(resource));
                    }
                }
            });
        }
        return granted;
    }

    @Test
    void every_role_should_grant_exactly_the_actions_its_code_declares_and_scope_them() {
        var declared = IamPermissions.byFunction();
        for (var entry : functions().entrySet()) {
            String roleRef = String.valueOf(at(entry.getValue(), "Properties", "Role"));
            String roleId = roleRef.replaceAll(".*Fn::GetAtt=([A-Za-z0-9]+)\\.Arn.*", "$1");
            var resources = new LinkedHashMap<String, Set<String>>();
            var granted = grantedActions(roleId, resources);
            assertThat(new TreeSet<>(granted.keySet())).as(entry.getKey() + " (" + roleId + ") grants exactly what its code declares")
                    .isEqualTo(new TreeSet<>(declared.get(entry.getKey())));
            resources.forEach((action, res) -> {
                if (!RESOURCE_STAR_OK.contains(action)) {
                    assertThat(res).as(roleId + " " + action + " must be scoped").doesNotContain("*");
                }
            });
        }
    }

    @Test
    void only_cluster_check_may_write_to_ec2_or_clusters() {
        for (String roleId : List.of("ChangeEventsRole", "ScheduledSweepRole")) {
            var granted = grantedActions(roleId, new LinkedHashMap<>());
            assertThat(granted.keySet()).as(roleId).allSatisfy(a -> assertThat(a).matches(
                    "(ec2:Describe.*|eks:(Describe|List).*|sqs:SendMessage|logs:(CreateLogStream|PutLogEvents)|sts:AssumeRole)"));
        }
        var checkResources = new LinkedHashMap<String, Set<String>>();
        var check = grantedActions("ClusterCheckRole", checkResources);
        assertThat(check).containsKey("ec2:ModifyInstanceMetadataOptions");
        assertThat(String.valueOf(at(template.resources().get("ClusterCheckRole"), "Properties", "Policies")))
                .as("the remediation grant is conditional on RemediationEnabled").contains("Fn::If=[RemediationOn");
    }

    @Test
    void slack_secret_should_be_readable_only_by_cluster_check_and_only_that_secret() {
        var resources = new LinkedHashMap<String, Set<String>>();
        grantedActions("ClusterCheckRole", resources);
        assertThat(resources.get("secretsmanager:GetSecretValue")).containsExactly("{Ref=SlackWebhookSecretArn}");
        for (String roleId : List.of("ChangeEventsRole", "ScheduledSweepRole")) {
            assertThat(grantedActions(roleId, new LinkedHashMap<>())).doesNotContainKey("secretsmanager:GetSecretValue");
        }
    }
}
