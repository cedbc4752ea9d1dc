package dev.ekscm.cli;

import dev.ekscm.findings.FindingStoreException;
import dev.ekscm.model.BadInputException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.PrintWriter;

/** {@code ekscm}: the command line over the same engine the Lambda functions run. */
// INHERIT: every subcommand takes --help (the usage error message points to it) and --version.
@Command(name = "ekscm", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Main.Version.class,
        description = "EKS Compliance Monitor: checks EKS clusters against the EKS security best practices.",
        subcommands = {ScanCommand.class, SnapshotCommand.class, ChecksCommand.class, RemediateCommand.class,
                RemediationCommand.class, OnboardCommand.class, InvokeCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    /** Exit code when an AWS or Kubernetes call failed, or a remediation action did. */
    public static final int EXIT_FAILED = 1;
    /** Exit code for bad input (unreadable file, unknown option value, unknown check id). */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code when an open finding is at or above --fail-on. */
    public static final int EXIT_FINDINGS = 3;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams (tests call this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        var cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof BadInputException || ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("ekscm: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof SdkException || ex instanceof KubernetesClientException || ex instanceof FindingStoreException) {
                // An API refused or could not be reached: its message says which and why; a stack trace would not help.
                commandLine.getErr().println("ekscm: " + ex.getMessage());
                return EXIT_FAILED;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, args1) -> {
            ex.getCommandLine().getErr().println("ekscm: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_BAD_INPUT;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ekscm " + (v == null ? "dev" : v)};
        }
    }
}
