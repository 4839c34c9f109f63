package io.edgeagent.cli;

import io.edgeagent.rules.RuleEngine;
import io.edgeagent.storage.AtomicFiles;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Builds a class data sharing archive (JDK CDS, JEP 350) of the classes the agent loads while it starts and runs,
 * by running the demo for a few seconds in a child JVM with {@code -XX:ArchiveClassesAtExit}. A JVM started with
 * {@code -XX:SharedArchiveFile} maps those classes instead of parsing and verifying them again: the agent is ready
 * up to a second sooner (docs/performance.md). The Debian package builds one at install time.
 *
 * <p>The child runs with this JVM's own options, because an archive is only used by a JVM whose class path and
 * relevant options match the ones it was made with.
 */
@Command(name = "class-archive", description = {"Build a class data sharing archive that makes the agent start "
        + "faster: runs the demo for a few seconds in a child JVM and writes the classes it loaded to FILE.",
        "Start the agent with -XX:SharedArchiveFile=FILE to use it (the Debian package does this itself).",
        "Exit codes: 0 written, 1 the JVM could not write it."})
final class ClassArchiveCommand implements Callable<Integer> {

    /** Long enough for the demo to load, compile and run every example rule and action kind once. */
    static final Duration WORKLOAD = Duration.ofSeconds(4);
    /** A Raspberry Pi 3 needs about 40 s for the workload and the dump; a stuck child is stopped at this. */
    static final Duration DEADLINE = Duration.ofMinutes(3);

    @Option(names = "--output", paramLabel = "FILE", required = true,
            description = "Where to write the archive, e.g. /var/cache/edge-agent/classes.jsa.")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path target = output.toAbsolutePath();
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Path log;
        try {
            if (Files.isDirectory(target)) {
                throw new IOException("it is a directory");
            }
            Files.createDirectories(target.getParent());
            // Fails now, not after the workload, when the directory is not writable.
            Files.deleteIfExists(partial);
            Files.delete(Files.createFile(partial));
            log = Files.createTempFile("edge-agent-class-archive", ".log");
        } catch (IOException e) {
            spec.commandLine().getErr().println("edge-agent: no class archive written: cannot write " + target + " ("
                    + e.getMessage() + ")");
            return ExitCodes.FAILURE;
        }
        long started = System.nanoTime();
        try {
            Process child = new ProcessBuilder(childCommand(partial)).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!child.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
                return failed("the workload did not end within " + DEADLINE.toSeconds() + " s", log);
            }
            if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
                return failed("the JVM wrote no archive (exit code " + child.exitValue() + ")", log);
            }
            AtomicFiles.replace(partial, target);
            spec.commandLine().getOut().printf("Wrote %s (%d MB) in %.1f s. Start the agent with "
                    + "-XX:SharedArchiveFile=%s to use it.%n", target, Files.size(target) >> 20,
                    (System.nanoTime() - started) / 1e9, target);
            return ExitCodes.OK;
        } finally {
            Files.deleteIfExists(partial);
            Files.deleteIfExists(log);
        }
    }

    private int failed(String why, Path log) throws IOException {
        spec.commandLine().getErr().println("edge-agent: no class archive written: " + why + ". Its output:");
        for (String line : Files.readAllLines(log)) {
            // The JVM lists every class it leaves out of any archive (a thousand lines); they never are the cause.
            if (!(line.contains("[cds") && (line.contains("Skipping") || line.contains("not supported")))) {
                spec.commandLine().getErr().println("  " + line);
            }
        }
        return ExitCodes.FAILURE;
    }

    /** This JVM, its options less any archive options, the same jar, and the demo as the workload. */
    private static List<String> childCommand(Path archive) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-XX:SharedArchiveFile") && !option.startsWith("-XX:ArchiveClassesAtExit")
                    && !option.startsWith("-Xshare")) {
                command.add(option);
            }
        }
        command.add("-XX:ArchiveClassesAtExit=" + archive);
        command.add("-D" + RuleEngine.CLASS_ARCHIVE_WORKLOAD_PROPERTY + "=true");
        command.addAll(List.of("-jar", agentJar().toString(), "demo", "--duration", WORKLOAD.toSeconds() + "s"));
        return command;
    }

    private static Path agentJar() {
        try {
            Path location = Path.of(ClassArchiveCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(location)) {
                throw new IllegalStateException("class-archive runs from the agent's jar, not from " + location);
            }
            return location;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the agent's jar", e);
        }
    }
}
