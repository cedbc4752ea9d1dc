package dev.ekscm.checks.netpol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CalicoSelectorTest {
    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front",
            "projectcalico.org/namespace", "shop");

    @ParameterizedTest(name = "{0} selects app=web,tier=front: {1}")
    @CsvSource(delimiter = '|', value = {
            "all()                                   | true",
            "all ( )                                 | true",
            "has(app)                                | true",
            "has(team)                               | false",
            "!has(team)                              | true",
            "! has(app)                              | false",
            "app == 'web'                            | true",
            "app == \"web\"                          | true",
            "app=='api'                              | false",
            "app != 'api'                            | true",
            "team != 'x'                             | true",
            "app != 'web'                            | false",
            "app in {'web', 'api'}                   | true",
            "app in {'api'}                          | false",
            "team in {'x'}                           | false",
            "app not in {'api'}                      | true",
            "team not in {'x'}                       | true",
            "app not in {'web'}                      | false",
            "app in {}                               | false",
            "app == 'web' && tier == 'front'         | true",
            "app == 'web' && tier == 'back'          | false",
            "all() && has(tier)                      | true",
            "projectcalico.org/namespace == 'shop'   | true",
            "projectcalico.org/namespace == 'data'   | false"})
    void matches_should_follow_calico_semantics(String selector, boolean expected) {
        var parsed = CalicoSelector.parse(selector);
        assertThat(parsed.parsed()).as(parsed.problem().orElse("")).isTrue();
        assertThat(parsed.matches(WEB)).isEqualTo(expected);
    }

    @Test
    void empty_selector_should_select_everything() {
        assertThat(CalicoSelector.parse(null).matches(Map.of())).isTrue();
        assertThat(CalicoSelector.parse("  ").matches(WEB)).isTrue();
        assertThat(CalicoSelector.parse("").selectsAll()).isTrue();
        assertThat(CalicoSelector.parse("all()").selectsAll()).isTrue();
        assertThat(CalicoSelector.parse("has(app)").selectsAll()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"app == 'web' || app == 'api'", "(app == 'web')", "global()", "app contains 'w'",
            "app == web", "app == 'web", "has(app", "app in {'a' 'b'}", "app ==", "&& has(app)", "!all()",
            "!app == 'web'", "app == 'web' &&", "starts_with(app, 'w')"})
    void unsupported_selectors_should_select_nothing_and_say_why(String selector) {
        // WHEN a selector outside the supported subset is parsed
        var parsed = CalicoSelector.parse(selector);
        // THEN it is kept as unparseable: selects nothing, with a reason for the report
        assertThat(parsed.parsed()).isFalse();
        assertThat(parsed.problem()).hasValueSatisfying(p -> assertThat(p).contains(selector.trim()));
        assertThat(parsed.matches(WEB)).isFalse();
    }
}
