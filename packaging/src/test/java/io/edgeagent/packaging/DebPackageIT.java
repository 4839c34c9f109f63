package io.edgeagent.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.packaging.testing.Command;
import io.edgeagent.packaging.testing.Command.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built .deb, taken apart with the real dpkg-deb and run from an unpacked root: the launchers find their jars
 * relative to themselves, so the installed layout runs from any directory without root or a real install. The
 * maintainer scripts run for real in {@link DpkgInstallIT} (CI only: it changes the machine).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DebPackageIT {

    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);
    private static final Path REPOSITORY = Path.of(System.getProperty("edge.repository", "..")).toAbsolutePath().normalize();

    @TempDir
    static Path work;

    static Path deb;
    static Path root;
    static Path control;

    @BeforeAll
    static void unpack() throws IOException {
        Command.requireTool("dpkg-deb");
        deb = PackageFiles.builtDeb();
        root = work.resolve("root");
        control = work.resolve("control");
        run(List.of("dpkg-deb", "-x", deb.toString(), root.toString()));
        run(List.of("dpkg-deb", "-e", deb.toString(), control.toString()));
    }

    @Test
    void control_fields_nameArchitectureAllAndJava17Runtime() {
        Map<String, String> fields = PackageFiles.controlFields(control.resolve("control"));
        assertThat(fields).containsEntry("Package", "edge-agent").containsEntry("Architecture", "all");
        assertThat(fields.get("Depends")).contains("openjdk-17-jre-headless (>= 17.0.9) | java17-runtime-headless")
                .contains("adduser");
        assertThat(fields.get("Version")).startsWith(PackageFiles.projectVersion().replace("-SNAPSHOT", "~"));
    }

    @Test
    void conffiles_configDefaultsAndEveryExampleRule_nothingElse() throws IOException {
        Set<String> expected = new TreeSet<>(Set.of("/etc/default/edge-agent", "/etc/edge-agent/config.yaml"));
        for (String rule : PackageFiles.exampleRules(REPOSITORY)) {
            expected.add("/etc/edge-agent/rules/" + rule);
        }
        assertThat(new TreeSet<>(Files.readAllLines(control.resolve("conffiles")))).isEqualTo(expected);
    }

    @Test
    void contents_everyFile_ownedByRootWithExpectedModes() {
        List<PackageFiles.Entry> entries = PackageFiles.listing(deb);
        assertThat(entries).allSatisfy(e -> assertThat(e.owner()).as(e.path()).isEqualTo("root/root"));
        assertThat(entries).filteredOn(e -> e.path().startsWith("./usr/bin/") && !e.isDirectory())
                .extracting(PackageFiles.Entry::path)
                .containsExactlyInAnyOrder("./usr/bin/edge-agent", "./usr/bin/device-simulator");
        assertThat(entries).filteredOn(e -> e.path().startsWith("./usr/bin/") && !e.isDirectory())
                .allSatisfy(e -> assertThat(e.mode()).as(e.path()).isEqualTo("-rwxr-xr-x"));
        assertThat(entries).filteredOn(e -> !e.path().startsWith("./usr/bin/") && !e.isDirectory())
                .allSatisfy(e -> assertThat(e.mode()).as(e.path()).isEqualTo("-rw-r--r--"));
        assertThat(entries).extracting(PackageFiles.Entry::path).contains(
                "./usr/lib/systemd/system/edge-agent.service", "./etc/default/edge-agent",
                "./usr/share/bash-completion/completions/edge-agent",
                "./usr/share/bash-completion/completions/device-simulator",
                "./usr/share/doc/edge-agent/copyright", "./usr/share/doc/edge-agent/THIRD-PARTY.md",
                "./usr/share/doc/edge-agent/operations.md", "./usr/share/doc/edge-agent/security.md");
    }

    @Test
    void contents_noStateAndNoSecrets_shipped() throws IOException {
        List<String> paths = PackageFiles.listing(deb).stream().map(PackageFiles.Entry::path).toList();
        // systemd and postinst create the data directory; the agent creates its token there on first start.
        assertThat(paths).noneMatch(p -> p.startsWith("./var/"));
        assertThat(paths).noneMatch(p -> p.matches(".*(\\.token|\\.key|\\.pem|\\.p12|\\.jks|password.*)$"));
        String config = Files.readString(root.resolve("etc/edge-agent/config.yaml"));
        assertThat(config).contains("  password: \"\"").doesNotContainPattern("(?m)^\\s*password: \"[^\"$]");
    }

    @Test
    void jars_manifestClassPath_everyEntryIsInThePackage() throws IOException {
        Path share = root.resolve("usr/share/edge-agent");
        try (JarFile file = new JarFile(share.resolve("edge-agent.jar").toFile())) {
            String classPath = file.getManifest().getMainAttributes().getValue("Class-Path");
            assertThat(classPath).isNotBlank();
            for (String entry : classPath.trim().split("\\s+")) {
                assertThat(share.resolve(entry)).as("edge-agent.jar Class-Path").isRegularFile();
            }
        }
    }

    @Test
    void contents_simulatorJar_shippedOnce() {
        assertThat(PackageFiles.listing(deb)).extracting(PackageFiles.Entry::path)
                .filteredOn(p -> p.contains("device-simulator") && p.endsWith(".jar")).hasSize(1);
    }

    @Test
    void contents_manPagesChangelogAndCompletions_asPolicySays() throws IOException {
        for (String command : List.of("edge-agent", "device-simulator")) {
            Path page = root.resolve("usr/share/man/man1/" + command + ".1.gz");
            // Rendered by the real man(1): its warnings are what lintian reports as manual page errors.
            Result man = Command.run(CLI_TIMEOUT, Map.of("MANWIDTH", "100", "LC_ALL", "C.UTF-8"),
                    List.of("man", "--warnings", "-l", page.toString()));
            assertThat(man.exitCode()).as(man.toString()).isZero();
            assertThat(man.stderr()).as(command).isEmpty();
            assertThat(man.stdout()).as(command).contains("NAME", command, "--help");
            assertThat(Files.readString(root.resolve("usr/share/bash-completion/completions/" + command)))
                    .as("bash sources completions: no #! line").doesNotStartWith("#!");
        }
        assertThat(root.resolve("usr/share/doc/edge-agent/changelog.gz")).isRegularFile();
    }

    @Test
    void launcher_version_printsTheProjectVersion() {
        Result result = run(List.of(root.resolve("usr/bin/edge-agent").toString(), "version"));
        assertThat(result.stdout()).startsWith("edge-agent " + PackageFiles.projectVersion() + "\n");
    }

    @Test
    void simulatorLauncher_scenarios_listsTheBuiltInScenarios() {
        Result result = run(List.of(root.resolve("usr/bin/device-simulator").toString(), "scenarios"));
        assertThat(result.stdout()).contains("demo").contains("heatwave");
    }

    @Test
    void launcher_configCheckOfPackagedConfig_validWithEveryExampleRule() throws IOException {
        Path config = installedConfig(1883, 8484);
        Result result = run(List.of(root.resolve("usr/bin/edge-agent").toString(), "config", "check", "--config",
                config.toString()));
        assertThat(result.stdout()).contains("is valid").contains(PackageFiles.exampleRules(REPOSITORY).size() + " rules");
    }

    @Test
    void launcher_configCheckOfBrokenConfig_exitsWith3WhichTheUnitDoesNotRestart() throws IOException {
        Path config = work.resolve("broken.yaml");
        Files.writeString(config, Files.readString(installedConfig(1883, 8484)).replace("  qos: 1", "  qos: 7"));
        Result result = Command.run(CLI_TIMEOUT, List.of(root.resolve("usr/bin/edge-agent").toString(), "config",
                "check", "--config", config.toString()));
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(PackageFiles.unitValues(root, "RestartPreventExitStatus")).singleElement().asString().contains("3");
    }

    @Test
    void defaultFile_javaOptions_acceptedByThisJvmAndSizedForAPi() {
        String options = PackageFiles.environmentFileValue(root.resolve("etc/default/edge-agent"), "EDGE_AGENT_JAVA_OPTS");
        assertThat(options).contains("-Xmx256m", "-Xmn16m", "-XX:+UseSerialGC").doesNotContain("ExitOnOutOfMemoryError");
        // A misspelt -XX option stops the JVM before the agent starts: check them with the real JVM.
        List<String> command = new ArrayList<>(List.of(javaExecutable()));
        command.addAll(List.of(options.split("\\s+")));
        command.add("-version");
        run(command);
    }

    @Test
    void completion_edgeAgent_completesSubcommandsFromThePicocliModel() {
        assertThat(complete("edge-agent", "edge-agent", "con")).containsExactly("config");
        assertThat(complete("edge-agent", "edge-agent", "rules", "")).contains("validate", "test", "list", "add");
        assertThat(complete("device-simulator", "device-simulator", "")).contains("run", "scenarios");
    }

    @Test
    void maintainerScripts_shellSyntax_valid() {
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path file = control.resolve(script);
            assertThat(file).isExecutable();
            assertThat(firstLine(file)).isEqualTo("#!/bin/sh");
            run(List.of("sh", "-n", file.toString()));
        }
    }

    @Test
    void triggers_javaPackageChanges_rebuildTheClassArchive() throws IOException {
        assertThat(Files.readAllLines(control.resolve("triggers"))).contains("interest-noawait /usr/lib/jvm");
        String postinst = Files.readString(control.resolve("postinst"));
        assertThat(postinst).containsPattern("if \\[ \"\\$1\" = \"triggered\" \\]; then\\s+(#[^\\n]*\\s+)*build_class_archive");
    }

    @Test
    void launcher_classArchive_builtWithThePackagesOptionsThenUsed_andAStaleOneOnlyWarnsOnStderr() throws IOException {
        Path archive = work.resolve("cache/classes.jsa");
        String options = PackageFiles.environmentFileValue(root.resolve("etc/default/edge-agent"), "EDGE_AGENT_JAVA_OPTS")
                .replace("/var/lib/edge-agent", work.toString());
        Path launcher = root.resolve("usr/bin/edge-agent");

        Result built = Command.run(Duration.ofSeconds(50), Map.of("EDGE_AGENT_JAVA_OPTS", options,
                "EDGE_AGENT_CLASS_ARCHIVE", ""), List.of(launcher.toString(), "class-archive", "--output", archive.toString()));
        assertThat(built.exitCode()).as(built.toString()).isZero();

        Result used = Command.run(CLI_TIMEOUT, Map.of("EDGE_AGENT_JAVA_OPTS", options + " -Xlog:class+load=info",
                "EDGE_AGENT_CLASS_ARCHIVE", archive.toString()), List.of(launcher.toString(), "version"));
        assertThat(used.exitCode()).as(used.toString()).isZero();
        assertThat(used.stdout()).contains("io.edgeagent.cli.VersionCommand source: shared objects file (top)");

        // A new jar (an upgrade before postinst rebuilt the archive): the JVM ignores the archive and says so on
        // stderr; what the command prints is unchanged.
        Path jar = root.resolve("usr/share/edge-agent/edge-agent.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 2000));
        Result stale = Command.run(CLI_TIMEOUT, Map.of("EDGE_AGENT_JAVA_OPTS", options,
                "EDGE_AGENT_CLASS_ARCHIVE", archive.toString()), List.of(launcher.toString(), "version"));
        assertThat(stale.exitCode()).as(stale.toString()).isZero();
        assertThat(stale.stdout()).startsWith("edge-agent ").doesNotContain("warning");
        assertThat(stale.stderr()).contains("[warning][cds");
    }

    @Test
    void maintainerScripts_userAndPurge_guardedAndScoped() throws IOException {
        String postinst = Files.readString(control.resolve("postinst"));
        String postrm = Files.readString(control.resolve("postrm"));
        // Re-running configure must not fail on an existing user: every adduser/addgroup sits behind a getent test.
        assertThat(postinst).containsPattern("if ! getent group \"\\$user\" >/dev/null; then\\s+addgroup --system")
                .containsPattern("if ! getent passwd \"\\$user\" >/dev/null; then\\s+adduser --system");
        // Data, configuration and user go on purge only; before it only the class archive, a cache of the jars.
        String beforePurge = postrm.substring(0, postrm.indexOf("if [ \"$1\" = \"purge\" ]"));
        assertThat(beforePurge.replace("rm -rf /var/cache/edge-agent", "")).doesNotContain("rm -rf", "deluser");
        assertThat(beforePurge).contains("rm -rf /var/cache/edge-agent");
        assertThat(postrm.substring(postrm.indexOf("if [ \"$1\" = \"purge\" ]")))
                .contains("rm -rf /var/lib/edge-agent", "deluser --system");
    }

    @Test
    void unit_systemdAnalyzeVerify_noDiagnostics() throws IOException {
        Path analyze = Command.requireTool("systemd-analyze");
        // verify resolves the unit's dependencies (multi-user.target, ...) and ExecStart inside --root: give it the
        // unpacked package plus this machine's own units.
        Path verifyRoot = work.resolve("verify-root");
        copyTree(root, verifyRoot);
        Path hostUnits = Stream.of(Path.of("/usr/lib/systemd/system"), Path.of("/lib/systemd/system"))
                .filter(p -> Files.isRegularFile(p.resolve("multi-user.target"))).findFirst()
                .orElseThrow(() -> new AssertionError("no systemd units on this machine"));
        copyTree(hostUnits, verifyRoot.resolve("usr/lib/systemd/system"));
        Result result = Command.run(CLI_TIMEOUT, List.of(analyze.toString(), "verify", "--man=no",
                "--root=" + verifyRoot, "edge-agent.service"));
        // verify exits 0 on unknown keys such as "ProtectSystm": any diagnostic at all is a failure.
        assertThat(result.stderr()).as(result.toString()).isEmpty();
        assertThat(result.stdout()).as(result.toString()).isEmpty();
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    @Test
    void unit_percentSigns_allEscapedSoSystemdExpandsNoSpecifier() throws IOException {
        // In Environment= systemd expands %l to the host name; a log pattern's %level must be written %%level.
        String unit = Files.readString(root.resolve("usr/lib/systemd/system/edge-agent.service"));
        assertThat(unit.replace("%%", "")).doesNotContain("%");
    }

    @Test
    void unit_lifecycle_stopDeadlineCoversDrainAndExitCodesMatchTheCli() {
        assertThat(PackageFiles.unitValues(root, "Type")).containsExactly("exec");
        assertThat(PackageFiles.unitValues(root, "User")).containsExactly("edge-agent");
        assertThat(PackageFiles.unitValues(root, "StateDirectory")).containsExactly("edge-agent");
        assertThat(PackageFiles.unitValues(root, "ProtectSystem")).containsExactly("strict");
        assertThat(PackageFiles.unitValues(root, "NoNewPrivileges")).containsExactly("yes");
        assertThat(PackageFiles.unitValues(root, "Restart")).containsExactly("on-failure");
        assertThat(PackageFiles.unitValues(root, "SuccessExitStatus")).containsExactly("143");
        assertThat(PackageFiles.unitValues(root, "ExecStart"))
                .containsExactly("/usr/bin/edge-agent run --config /etc/edge-agent/config.yaml");
        // Three stages of at most 5 s each (Agent.STAGE_STOP_DEADLINE) plus ingest and buffer close, with margin.
        assertThat(PackageFiles.unitValues(root, "TimeoutStopSec")).containsExactly("30");
    }

    @Test
    void unit_logPattern_everyLineCarriesItsJournaldPriority_andSigtermExits143() throws Exception {
        String pattern = PackageFiles.unitEnvironment(root, "EDGE_LOG_PATTERN").replace("%%", "%");
        int closedPort;
        int adminPort;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            closedPort = a.getLocalPort();
            adminPort = b.getLocalPort();
        }
        Path config = installedConfig(closedPort, adminPort);
        String options = PackageFiles.environmentFileValue(root.resolve("etc/default/edge-agent"), "EDGE_AGENT_JAVA_OPTS")
                .replace("/var/lib/edge-agent", work.toString());
        ProcessBuilder builder = new ProcessBuilder(root.resolve("usr/bin/edge-agent").toString(), "run", "--config",
                config.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("EDGE_LOG_PATTERN", pattern);
        builder.environment().put("EDGE_AGENT_JAVA_OPTS", options);
        builder.environment().remove("EDGE_LOG_LEVEL");
        Process agent = builder.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> readLines(agent, lines), "agent-stderr");
        reader.start();
        try {
            // INFO when it starts, WARN when the broker (a closed port) refuses the connection.
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().anyMatch(l -> l.startsWith("<6>Agent: Starting"))
                    && lines.stream().anyMatch(l -> l.startsWith("<4>MqttConnection: MQTT ingest cannot connect")));
        } finally {
            // SIGTERM, as systemd sends it; Process.destroy() would also close the stream the reader is on.
            agent.toHandle().destroy();
            assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(5_000);
        }
        assertThat(agent.exitValue()).as(String.join("\n", lines)).isEqualTo(143);
        assertThat(lines).anyMatch(l -> l.startsWith("<6>Agent: edge-agent stopped"));
        // No timestamps: journald adds its own.
        assertThat(lines).allSatisfy(l -> assertThat(l).matches("<[3467]>[A-Za-z0-9$]+: .*")
                .doesNotContainPattern("\\d{2}:\\d{2}:\\d{2}"));
    }

    private static void readLines(Process process, List<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("reading stderr failed: " + e);
        }
    }

    /** The packaged config with its absolute paths moved under the unpacked root and a broker/admin port of ours. */
    private static Path installedConfig(int brokerPort, int adminPort) throws IOException {
        Path data = Files.createDirectories(work.resolve("data-" + brokerPort + "-" + adminPort));
        String text = Files.readString(root.resolve("etc/edge-agent/config.yaml"))
                .replace("/etc/edge-agent/rules", root.resolve("etc/edge-agent/rules").toString())
                .replace("directory: /var/lib/edge-agent", "directory: " + data)
                .replace("tcp://127.0.0.1:1883", "tcp://127.0.0.1:" + brokerPort)
                .replace("  port: 8484", "  port: " + adminPort);
        Path config = work.resolve("config-" + brokerPort + "-" + adminPort + ".yaml");
        Files.writeString(config, text);
        return config;
    }

    private static List<String> complete(String script, String... words) {
        String array = Stream.of(words).map(w -> "'" + w + "'").collect(Collectors.joining(" "));
        String line = String.join(" ", words);
        String bash = "source '" + root.resolve("usr/share/bash-completion/completions/" + script) + "' 2>/dev/null; "
                + "COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1) + "; COMP_LINE='" + line + "'; "
                + "COMP_POINT=${#COMP_LINE}; _complete_" + script + " 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Result result = run(List.of("bash", "-c", bash));
        return result.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    private static Result run(List<String> command) {
        Result result = Command.run(CLI_TIMEOUT, command);
        assertThat(result.exitCode()).as(command + "\n" + result).isZero();
        return result;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String firstLine(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.findFirst().orElse("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else if (!Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(source, target, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }
}
