package dev.ekscm.checks;

import dev.ekscm.model.CheckResult;
import dev.ekscm.model.Scope;
import dev.ekscm.model.Status;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs every check over its pass and fail fixtures (discovered, never listed by hand). */
class CheckFixturesTest {

    @TestFactory
    Stream<DynamicTest> every_fixture_should_give_its_verdict() {
        var catalog = CheckCatalog.builtIn();
        return catalog.all().stream().flatMap(check -> Fixtures.of(check.id()).stream()
                .map(fixture -> DynamicTest.dynamicTest(fixture.name(), fixture.path().toUri(), () -> verify(check, fixture))));
    }

    private static void verify(Check check, Fixtures.Fixture fixture) {
        var evaluator = new Evaluator(List.of(check), CheckConfig.defaults(Fixtures.AS_OF));
        var outcome = evaluator.evaluate(fixture.load(), Scope.all()).outcomes().get(0);
        String report = outcome.status() + " " + outcome.note().orElse("") + "\n" + outcome.results().stream()
                .map(r -> "  " + r.status() + " " + r.resource().key() + ": " + r.message())
                .collect(Collectors.joining("\n"));
        if (fixture.shouldPass()) {
            assertThat(outcome.status()).as("%s should PASS:\n%s", fixture.name(), report).isEqualTo(Status.PASS);
            assertThat(outcome.results()).as("%s: a pass fixture must judge something:\n%s", fixture.name(), report)
                    .anyMatch(r -> r.status() == Status.PASS);
        } else {
            assertThat(outcome.status()).as("%s should FAIL:\n%s", fixture.name(), report).isEqualTo(Status.FAIL);
        }
        for (String key : fixture.expected("fails")) {
            assertThat(statusOf(outcome.results(), key)).as("%s: %s should FAIL:\n%s", fixture.name(), key, report)
                    .isEqualTo(Status.FAIL);
        }
        for (String key : fixture.expected("passes")) {
            assertThat(statusOf(outcome.results(), key)).as("%s: %s should PASS:\n%s", fixture.name(), key, report)
                    .isEqualTo(Status.PASS);
        }
        for (String key : fixture.expected("exempt")) {
            assertThat(statusOf(outcome.results(), key)).as("%s: %s should be EXEMPT:\n%s", fixture.name(), key, report)
                    .isEqualTo(Status.EXEMPT);
        }
    }

    private static Status statusOf(List<CheckResult> results, String key) {
        return results.stream().filter(r -> r.resource().key().equals(key)).map(CheckResult::status).findFirst()
                .orElse(null);
    }
}
