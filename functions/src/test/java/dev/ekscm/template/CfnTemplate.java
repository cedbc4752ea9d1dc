package dev.ekscm.template;

import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * template.yaml as plain maps and lists. CloudFormation's short-form tags become their long form:
 * {@code !Ref X} → {@code {Ref: X}}, {@code !GetAtt A.B} → {@code {Fn::GetAtt: A.B}}, {@code !If […]}
 * → {@code {Fn::If: […]}}.
 */
final class CfnTemplate {
    private final Map<String, Object> root;

    private CfnTemplate(Map<String, Object> root) {
        this.root = root;
    }

    @SuppressWarnings("unchecked")
    static CfnTemplate load(Path file) {
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
            var load = new Load(settings, new CfnConstructor(settings));
            return new CfnTemplate((Map<String, Object>) load.loadFromString(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, Object> root() {
        return root;
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> resources() {
        return (Map<String, Map<String, Object>>) root.get("Resources");
    }

    Map<String, Map<String, Object>> resourcesOfType(String type) {
        var out = new LinkedHashMap<String, Map<String, Object>>();
        resources().forEach((id, r) -> {
            if (type.equals(r.get("Type"))) {
                out.put(id, r);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String... path) {
        Object cur = o;
        for (String p : path) {
            cur = cur instanceof Map<?, ?> m ? m.get(p) : null;
        }
        return cur instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static Object at(Object o, String... path) {
        Object cur = o;
        for (String p : path) {
            cur = cur instanceof Map<?, ?> m ? m.get(p) : null;
        }
        return cur;
    }

    static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        return o instanceof List<?> l ? new ArrayList<>(l) : List.of(o);
    }

    /**
     * Visits every value reachable from {@code o}, taking both branches of {@code Fn::If} (what the
     * template may grant under some parameters) and dropping {@code AWS::NoValue}.
     */
    static void eachStatement(Object statements, Consumer<Map<String, Object>> visit) {
        for (Object s : list(statements)) {
            if (s instanceof Map<?, ?> m && m.containsKey("Fn::If")) {
                List<Object> branches = list(m.get("Fn::If"));
                eachStatement(branches.get(1), visit);
                eachStatement(branches.get(2), visit);
            } else if (s instanceof Map<?, ?> m && !isNoValue(m)) {
                @SuppressWarnings("unchecked") var statement = (Map<String, Object>) m;
                visit.accept(statement);
            }
        }
    }

    static boolean isNoValue(Map<?, ?> m) {
        return "AWS::NoValue".equals(m.get("Ref"));
    }

    private static final class CfnConstructor extends StandardConstructor {
        CfnConstructor(LoadSettings settings) {
            super(settings);
        }

        @Override
        protected Optional<ConstructNode> findConstructorFor(Node node) {
            String tag = node.getTag().getValue();
            if (!tag.startsWith("!")) {
                return super.findConstructorFor(node);
            }
            String fn = tag.equals("!Ref") ? "Ref" : tag.equals("!Condition") ? "Condition" : "Fn::" + tag.substring(1);
            return Optional.of(new ConstructNode() {
                @Override
                public Object construct(Node n) {
                    return Map.of(fn, plain(n));
                }
            });
        }

        private Object plain(Node n) {
            if (n instanceof ScalarNode s) {
                return s.getValue();
            }
            if (n instanceof SequenceNode seq) {
                var out = new ArrayList<Object>();
                seq.getValue().forEach(child -> out.add(constructObject(child)));
                return out;
            }
            var out = new LinkedHashMap<Object, Object>();
            for (NodeTuple t : ((MappingNode) n).getValue()) {
                out.put(constructObject(t.getKeyNode()), constructObject(t.getValueNode()));
            }
            return out;
        }
    }
}
