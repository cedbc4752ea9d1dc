package dev.ekscm.cli.bench;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a synthetic cluster to files: N workloads across N/10 namespaces (a mix of secure and
 * insecure pod specs), RBAC objects, NetworkPolicies and Calico policies, and an aws/ folder with
 * 3 nodegroups and 50 nodes. Deterministic for a given N.
 */
public final class SyntheticCluster {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SyntheticCluster() {
    }

    public static void write(int workloads, Path root) {
        try {
            Path manifests = Files.createDirectories(root.resolve("manifests"));
            Path aws = Files.createDirectories(root.resolve("aws"));
            int namespaces = Math.max(1, workloads / 10);
            for (int n = 0; n < namespaces; n++) {
                var sb = new StringBuilder(16_384);
                String ns = "team-" + n;
                sb.append("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ").append(ns).append('\n');
                if (n % 2 == 0) {
                    sb.append("  labels:\n    pod-security.kubernetes.io/enforce: restricted\n");
                }
                if (n % 3 != 0) {
                    sb.append("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: ")
                            .append(ns).append("\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n");
                    sb.append("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-dns-and-internal\n  namespace: ")
                            .append(ns).append("\nspec:\n  podSelector:\n    matchExpressions:\n      - {key: app, operator: Exists}\n")
                            .append("  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock: {cidr: 10.0.0.0/8}\n      ports:\n        - {protocol: UDP, port: 53}\n        - {protocol: TCP, port: 443}\n");
                }
                if (n % 5 == 0) {
                    sb.append("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: deployer\n  namespace: ")
                            .append(ns).append("\nrules:\n  - apiGroups: [\"apps\"]\n    resources: [\"*\"]\n    verbs: [\"get\", \"list\", \"patch\"]\n");
                } else {
                    sb.append("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\n  namespace: ")
                            .append(ns).append("\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"pods\", \"configmaps\"]\n    verbs: [\"get\", \"list\"]\n");
                }
                sb.append("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: team\n  namespace: ")
                        .append(ns).append("\nsubjects:\n  - kind: Group\n    name: ").append(ns)
                        .append("-devs\n    apiGroup: rbac.authorization.k8s.io\nroleRef:\n  kind: Role\n  name: reader\n  apiGroup: rbac.authorization.k8s.io\n");
                for (int w = 0; w < 10 && n * 10 + w < workloads; w++) {
                    appendWorkload(sb, ns, n * 10 + w);
                }
                Files.writeString(manifests.resolve(ns + ".yaml"), sb.toString());
            }
            var cluster = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                cluster.append("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: platform-").append(i)
                        .append("\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"nodes\"]\n    verbs: [\"get\", \"list\"]\n");
                cluster.append("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: platform-").append(i)
                        .append("\nsubjects:\n  - kind: ServiceAccount\n    name: agent\n    namespace: kube-system\nroleRef:\n  kind: ClusterRole\n  name: platform-")
                        .append(i).append("\n  apiGroup: rbac.authorization.k8s.io\n");
            }
            cluster.append("---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: calico-node\n  namespace: calico-system\nspec:\n  selector:\n    matchLabels: {k8s-app: calico-node}\n  template:\n    metadata:\n      labels: {k8s-app: calico-node}\n    spec:\n      hostNetwork: true\n      containers:\n        - name: calico-node\n          image: quay.io/calico/node:v3.28.0\n");
            cluster.append("---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: security\nspec:\n  order: 100\n");
            cluster.append("---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: security.block-imds\nspec:\n  tier: security\n  order: 10\n  selector: \"has(tenant)\"\n  types: [Egress]\n  egress:\n    - action: Deny\n      destination:\n        nets: [169.254.169.254/32]\n    - action: Pass\n");
            Files.writeString(manifests.resolve("cluster.yaml"), cluster.toString());
            writeAws(aws);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void appendWorkload(StringBuilder sb, String ns, int i) {
        String app = "app-" + i;
        boolean secure = i % 4 != 0;
        String kind = switch (i % 10) {
            case 7 -> "StatefulSet";
            case 8 -> "DaemonSet";
            default -> "Deployment";
        };
        sb.append("---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ").append(app).append("\n  namespace: ").append(ns).append('\n');
        sb.append("---\napiVersion: apps/v1\nkind: ").append(kind).append("\nmetadata:\n  name: ").append(app)
                .append("\n  namespace: ").append(ns).append("\n  labels: {app: ").append(app).append("}\nspec:\n");
        if (!"DaemonSet".equals(kind)) {
            sb.append("  replicas: 2\n");
        }
        sb.append("  selector:\n    matchLabels: {app: ").append(app).append("}\n  template:\n    metadata:\n      labels: {app: ")
                .append(app).append(i % 7 == 0 ? ", tenant: shared" : "").append("}\n    spec:\n");
        sb.append("      serviceAccountName: ").append(i % 6 == 0 ? "default" : app).append('\n');
        if (secure) {
            sb.append("      securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}\n");
        }
        if (i % 50 == 0) {
            sb.append("      hostNetwork: true\n");
        }
        sb.append("      containers:\n        - name: main\n          image: ")
                .append(i % 9 == 0 ? "nginx:latest" : "111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/" + app + ":1." + i)
                .append("\n          ports: [{containerPort: 8080}]\n");
        sb.append("          securityContext: {allowPrivilegeEscalation: ").append(secure).append(", readOnlyRootFilesystem: true")
                .append(i % 25 == 0 ? ", privileged: true" : "").append("}\n");
        sb.append("          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}\n");
    }

    private static void writeAws(Path aws) throws IOException {
        ObjectNode cluster = JSON.createObjectNode();
        var c = cluster.putObject("cluster");
        c.put("name", "synthetic");
        c.put("arn", "arn:aws:eks:eu-west-1:111122223333:cluster/synthetic");
        c.put("version", "1.33");
        c.put("status", "ACTIVE");
        var vpc = c.putObject("resourcesVpcConfig");
        vpc.put("vpcId", "vpc-0synthetic");
        vpc.put("clusterSecurityGroupId", "sg-0cluster");
        vpc.putArray("subnetIds").add("subnet-a").add("subnet-b").add("subnet-c");
        vpc.putArray("securityGroupIds");
        vpc.put("endpointPublicAccess", false);
        vpc.put("endpointPrivateAccess", true);
        vpc.putArray("publicAccessCidrs");
        var logging = c.putObject("logging").putArray("clusterLogging").addObject();
        logging.putArray("types").add("api").add("audit").add("authenticator");
        logging.put("enabled", true);
        c.putObject("tags");
        Files.writeString(aws.resolve("describe-cluster.json"), JSON.writeValueAsString(cluster));
        for (int g = 0; g < 3; g++) {
            ObjectNode ng = JSON.createObjectNode();
            var n = ng.putObject("nodegroup");
            n.put("nodegroupName", "ng-" + g);
            n.put("clusterName", "synthetic");
            n.put("status", "ACTIVE");
            n.putArray("subnets").add("subnet-a").add("subnet-b").add("subnet-c");
            n.putArray("instanceTypes").add("m6i.large");
            n.putObject("resources").putArray("autoScalingGroups").addObject().put("name", "eks-ng-" + g);
            n.putObject("tags");
            Files.writeString(aws.resolve("describe-nodegroup-" + g + ".json"), JSON.writeValueAsString(ng));
        }
        ObjectNode reservations = JSON.createObjectNode();
        ArrayNode res = reservations.putArray("Reservations");
        for (int i = 0; i < 50; i++) {
            var inst = res.addObject().putArray("Instances").addObject();
            inst.put("InstanceId", String.format("i-%017d", i));
            inst.put("SubnetId", "subnet-" + "abc".charAt(i % 3));
            inst.put("VpcId", "vpc-0synthetic");
            inst.putObject("State").put("Name", "running");
            var md = inst.putObject("MetadataOptions");
            md.put("HttpTokens", i % 10 == 0 ? "optional" : "required");
            md.put("HttpPutResponseHopLimit", i % 10 == 0 ? 2 : 1);
            md.put("HttpEndpoint", "enabled");
            inst.putArray("SecurityGroups").addObject().put("GroupId", "sg-0nodes");
            var tag = inst.putArray("Tags").addObject();
            tag.put("Key", "eks:cluster-name");
            tag.put("Value", "synthetic");
        }
        Files.writeString(aws.resolve("describe-instances.json"), JSON.writeValueAsString(reservations));
        ObjectNode subnets = JSON.createObjectNode();
        ArrayNode sn = subnets.putArray("Subnets");
        for (String az : new String[] {"a", "b", "c"}) {
            var s = sn.addObject();
            s.put("SubnetId", "subnet-" + az);
            s.put("VpcId", "vpc-0synthetic");
            s.put("AvailabilityZone", "eu-west-1" + az);
            s.put("MapPublicIpOnLaunch", false);
        }
        Files.writeString(aws.resolve("describe-subnets.json"), JSON.writeValueAsString(subnets));
        ObjectNode rts = JSON.createObjectNode();
        var rt = rts.putArray("RouteTables").addObject();
        rt.put("RouteTableId", "rtb-private");
        rt.put("VpcId", "vpc-0synthetic");
        var assoc = rt.putArray("Associations");
        assoc.addObject().put("Main", true);
        var routes = rt.putArray("Routes");
        var local = routes.addObject();
        local.put("DestinationCidrBlock", "10.0.0.0/16");
        local.put("GatewayId", "local");
        local.put("State", "active");
        var nat = routes.addObject();
        nat.put("DestinationCidrBlock", "0.0.0.0/0");
        nat.put("NatGatewayId", "nat-0synthetic");
        nat.put("State", "active");
        Files.writeString(aws.resolve("describe-route-tables.json"), JSON.writeValueAsString(rts));
        ObjectNode sgs = JSON.createObjectNode();
        var sgArr = sgs.putArray("SecurityGroups");
        for (String id : new String[] {"sg-0nodes", "sg-0cluster"}) {
            var sg = sgArr.addObject();
            sg.put("GroupId", id);
            sg.put("GroupName", id);
            sg.put("VpcId", "vpc-0synthetic");
            var perm = sg.putArray("IpPermissions").addObject();
            perm.put("IpProtocol", "tcp");
            perm.put("FromPort", 443);
            perm.put("ToPort", 443);
            perm.putArray("IpRanges").addObject().put("CidrIp", "10.0.0.0/16");
        }
        Files.writeString(aws.resolve("describe-security-groups.json"), JSON.writeValueAsString(sgs));
    }
}
