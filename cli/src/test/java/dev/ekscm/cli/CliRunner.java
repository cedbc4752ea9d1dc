package dev.ekscm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the command line in-process and keeps what it printed. */
record CliRunner(int exitCode, String out, String err) {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    static CliRunner run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRunner(code, out.toString(), err.toString());
    }

    static String example(String name, String part) {
        return ROOT.resolve("examples").resolve(name).resolve(part).toString();
    }
}
