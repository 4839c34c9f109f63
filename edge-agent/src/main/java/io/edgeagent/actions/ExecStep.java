package io.edgeagent.actions;

import io.edgeagent.config.ExecAction;
import io.edgeagent.threads.NamedThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an {@code exec} step: {@link ProcessBuilder} with the rendered argument list, so no shell ever sees the
 * arguments and {@code $(rm -rf /)} stays one literal argument. stdout and stderr are merged and captured up to
 * {@link #MAX_OUTPUT_BYTES} (the rest is read and dropped, so a chatty program never blocks on a full pipe). At the
 * timeout the process is destroyed, and forcibly after {@link #KILL_GRACE}. Blocks the calling action thread.
 */
final class ExecStep {

    static final int MAX_OUTPUT_BYTES = 8 * 1024;
    static final Duration KILL_GRACE = Duration.ofSeconds(2);

    private final List<String> allowlist;

    ExecStep(List<String> allowlist) {
        this.allowlist = List.copyOf(allowlist);
    }

    /** @return the captured output */
    String run(ExecAction exec, Map<String, Object> fields, Duration timeout) throws StepFailure, InterruptedException {
        List<String> command = new ArrayList<>(exec.command().size());
        for (String arg : exec.command()) {
            command.add(Template.argument(arg, fields));
        }
        String program = command.get(0);
        if (!allowlist.isEmpty() && !allowlist.contains(program)) {
            throw new StepFailure("program " + program + " is not in actions.execAllowlist");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File(nullDevice())));
        if (exec.workingDirectory() != null) {
            builder.directory(Path.of(Template.argument(exec.workingDirectory(), fields)).toFile());
        }
        for (Map.Entry<String, String> variable : exec.environment().entrySet()) {
            builder.environment().put(variable.getKey(), Template.argument(variable.getValue(), fields));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new StepFailure("cannot start " + program + ": " + e.getMessage());
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = NamedThreads.single("edge-action-exec-output", () -> drain(process.getInputStream(), output));
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                reader.join(KILL_GRACE.toMillis());
                throw new StepFailure(program + " did not finish within " + timeout.toMillis() + " ms and was killed",
                        text(output));
            }
            reader.join(KILL_GRACE.toMillis());
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        int exit = process.exitValue();
        if (!exec.successExitCodes().contains(exit)) {
            throw new StepFailure(program + " exited with " + exit + " (expected " + exec.successExitCodes() + ")",
                    text(output));
        }
        return text(output);
    }

    private static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream output) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (output) {
                    int room = MAX_OUTPUT_BYTES - output.size();
                    if (room > 0) {
                        output.write(buf, 0, Math.min(room, n));
                    }
                }
            }
        } catch (IOException e) {
            // The process was killed or closed its output: what was read so far is the output.
        }
    }

    private static String text(ByteArrayOutputStream output) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    private static String nullDevice() {
        return System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null";
    }
}
