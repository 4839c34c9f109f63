package io.edgeagent.packaging.testing;

import static org.awaitility.Awaitility.await;

import io.edgeagent.packaging.testing.Command.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Debian root file system booted with a real systemd as PID 1 by systemd-nspawn, driven from outside with nsenter.
 * The cached rootfs is never written: the container runs on an overlay whose upper directory collects every change,
 * so a test can see exactly what was left behind. The container has its own network namespace with loopback only.
 * The host has no systemd as init, hence --register=no and --keep-unit (no machined, no scope of its own).
 */
public final class NspawnContainer implements AutoCloseable {

    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);

    private final Path root;
    private final Path upper;
    private final Path console;
    private Process nspawn;
    private long initPid;

    private NspawnContainer(Path root, Path upper, Path console) {
        this.root = root;
        this.upper = upper;
        this.console = console;
    }

    /** Mounts an overlay of {@code rootfs} under {@code work}; {@link #boot()} starts it. */
    public static NspawnContainer overlay(Path rootfs, Path work) throws IOException {
        Path upper = Files.createDirectories(work.resolve("upper"));
        Path scratch = Files.createDirectories(work.resolve("overlay-work"));
        Path root = Files.createDirectories(work.resolve("root"));
        check(Command.run(Duration.ofSeconds(30), List.of("mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + rootfs + ",upperdir=" + upper + ",workdir=" + scratch, root.toString())));
        return new NspawnContainer(root, upper, work.resolve("console.log"));
    }

    public Path root() {
        return root;
    }

    /** Every file the container created or changed, relative to its root (overlay whiteouts included). */
    public Path changes() {
        return upper;
    }

    /** Boots systemd and waits until it reports the system running (or degraded: some unit of Debian's failed). */
    public void boot() throws IOException {
        nspawn = new ProcessBuilder("systemd-nspawn", "-q", "--register=no", "--keep-unit", "--private-network",
                "-D", root.toString(), "--boot").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        initPid = await().atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> systemdBelow(nspawn.pid()).orElse(0L), pid -> pid > 0);
        await().atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String state = exec("systemctl", "is-system-running").stdout().strip();
            if (!state.equals("running") && !state.equals("degraded")) {
                throw new AssertionError("system state " + state + "; console:\n" + consoleLog());
            }
        });
    }

    /** Runs a command inside the container (all its namespaces), returning whatever it did. */
    public Result exec(String... command) {
        return execWithin(Duration.ofSeconds(60), command);
    }

    public Result execWithin(Duration timeout, String... command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(initPid), "-a", "--"));
        full.addAll(List.of(command));
        return Command.run(timeout, full);
    }

    /** Like {@link #exec} but fails on a non-zero exit, with the command's output in the message. */
    public String ok(String... command) {
        Result result = exec(command);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + ": " + result);
        }
        return result.stdout();
    }

    /** Reboots the container from inside and waits for the new boot (nspawn exits with 133 on a reboot request). */
    public void reboot() throws IOException, InterruptedException {
        exec("systemctl", "reboot");
        if (!nspawn.waitFor(BOOT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the container did not go down for its reboot; console:\n" + consoleLog());
        }
        boot();
    }

    public String consoleLog() {
        try {
            return Files.exists(console) ? Files.readString(console) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (nspawn != null && nspawn.isAlive()) {
            exec("systemctl", "poweroff");
            try {
                if (!nspawn.waitFor(60, TimeUnit.SECONDS)) {
                    nspawn.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                // Stop waiting but still kill the container and release the mount; the caller keeps the interrupt.
                nspawn.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        Command.run(Duration.ofSeconds(30), List.of("umount", root.toString()));
    }

    /** The container's init: the first process named systemd among nspawn's descendants. */
    private static Optional<Long> systemdBelow(long pid) {
        return ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants)
                .filter(p -> {
                    try {
                        return Files.readString(Path.of("/proc", Long.toString(p.pid()), "comm")).strip().equals("systemd");
                    } catch (IOException e) {
                        return false;
                    }
                })
                .map(ProcessHandle::pid).findFirst();
    }

    private static void check(Result result) {
        if (result.exitCode() != 0) {
            throw new AssertionError(result.toString());
        }
    }
}
