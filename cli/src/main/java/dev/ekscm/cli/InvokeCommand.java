package dev.ekscm.cli;

import dev.ekscm.functions.LocalInvoker;
import dev.ekscm.model.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Callable;

/** {@code ekscm invoke}: run a Lambda function's handler in this JVM on an event file. */
@Command(name = "invoke", sortOptions = false,
        description = {"Run one of the monitor's Lambda functions locally on an event file.",
                "Prints its response. It is configured from the environment exactly as in Lambda: RECHECK_QUEUE_URL, FINDINGS_TABLE, "
                + "REGIONS, MEMBER_ROLE_NAME, MONITOR_ROLE_ARNS, REMEDIATION_ENABLED, AWS_REGION, AWS_ENDPOINT_URL…; "
                + "its log lines go to standard output as in Lambda.",
                "Sample events: events/ (eks-*.json and ec2-*.json for change-events, schedule.json for "
                        + "scheduled-sweep, sqs-recheck-batch.json for cluster-check)."},
        footer = {"", "Exit codes: 0 the handler returned; 1 it threw (Lambda's errorType/errorMessage object is printed); "
                + "2 bad input: unknown function, unreadable event file, or configuration missing from the environment."})
final class InvokeCommand implements Callable<Integer> {
    /** For the usage text and shell completion. */
    static final class Functions implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return LocalInvoker.FUNCTIONS.iterator();
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FUNCTION", completionCandidates = Functions.class,
            description = "One of: ${COMPLETION-CANDIDATES}.")
    String function;

    @Option(names = "--event", required = true, paramLabel = "FILE", description = "The event, as JSON.")
    Path event;

    @Override
    public Integer call() {
        try {
            return LocalInvoker.invoke(function, event, spec.commandLine().getOut());
        } catch (IllegalStateException e) {
            // The handler could not be built: its configuration is missing from the environment.
            throw new BadInputException("cannot start " + function + ": " + e.getMessage(), e);
        }
    }
}
