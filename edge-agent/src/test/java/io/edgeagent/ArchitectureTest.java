package io.edgeagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md and DESIGN "Code layout", checked on the main sources: one package per
 * pipeline stage, stages never depend on each other, only the composition root and the CLI wire them together.
 */
class ArchitectureTest {

    private static final String ROOT_PACKAGE = "io.edgeagent";
    private static final Set<String> STAGES = Set.of("ingest", "decode", "pipeline", "rules", "actions", "buffer", "uplink", "admin");
    /**
     * Shared by every stage, each named for what it holds: records, configuration, the MQTT client wrapper, metrics,
     * the event wire format, storage files and locks, bootstrap of logging and JVM-wide settings, text for log lines,
     * thread factories and backoff, PEM TLS.
     */
    private static final Set<String> SHARED = Set.of("event", "config", "mqtt", "metrics", "wire", "storage",
            "bootstrap", "logtext", "threads", "tls");
    /**
     * What each shared package may use of the others, so they stay layered (no cycles, no drawer everything reaches
     * into): the leaves use none, the rest only what sits below them.
     */
    private static final Map<String, Set<String>> SHARED_USES = Map.of(
            "event", Set.of(),
            "metrics", Set.of(),
            "logtext", Set.of(),
            "threads", Set.of(),
            "config", Set.of("event", "logtext"),
            "wire", Set.of("event"),
            "bootstrap", Set.of("logtext"),
            "tls", Set.of("config"),
            "storage", Set.of("bootstrap", "threads", "logtext"),
            "mqtt", Set.of("config", "threads", "tls", "logtext"));
    /** May import stages: the composition root, the command line and the demo. */
    private static final Set<String> WIRING = Set.of("agent", "cli", "demo");
    /** The device simulator is its own module; the demo runs it, nothing else may depend on it. */
    private static final String SIMULATOR = "simulator";

    /** {@code io.edgeagent.x...} anywhere in code: imports, static imports and fully qualified names. */
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.edgeagent\\.([a-z][a-z0-9_]*)\\b");
    private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\s+(static\\s+)?([\\w.]+)(\\.\\*)?\\s*;");
    private static final Path MAIN = TestConfigs.repositoryRoot().resolve("edge-agent/src/main/java/io/edgeagent");

    /** One main source file: its package below io.edgeagent and its code with comments and strings removed. */
    record Source(Path file, String pkg, String code, List<String> imports) {
    }

    private static List<Source> sources;

    @BeforeAll
    static void readSources() throws IOException {
        sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String pkg = MAIN.relativize(file).getName(0).toString();
                if (MAIN.relativize(file).getNameCount() == 1) {
                    pkg = "";
                }
                String code = stripCommentsAndStrings(Files.readString(file));
                List<String> imports = new ArrayList<>();
                Matcher m = IMPORT.matcher(code);
                while (m.find()) {
                    imports.add(m.group(2));
                }
                sources.add(new Source(file, pkg, code, imports));
            }
        }
        assertThat(sources).as("main sources under %s", MAIN).hasSizeGreaterThan(20);
    }

    @Test
    void packages_everyPackage_isAStageSharedOrWiring() {
        Set<String> unknown = new TreeSet<>();
        for (Source s : sources) {
            if (!STAGES.contains(s.pkg()) && !SHARED.contains(s.pkg()) && !WIRING.contains(s.pkg())) {
                unknown.add((s.pkg().isEmpty() ? "(root package)" : s.pkg()) + " (" + MAIN.relativize(s.file()) + ")");
            }
        }
        assertThat(unknown).as("packages this test does not know; add each to STAGES, SHARED or WIRING as the design "
                + "says").isEmpty();
    }

    @Test
    void stages_importNoOtherStage() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources) {
            if (!STAGES.contains(s.pkg())) {
                continue;
            }
            for (String target : referencedPackages(s)) {
                if (!target.equals(s.pkg()) && !SHARED.contains(target)) {
                    violations.add(describe(s, target));
                }
            }
        }
        assertThat(violations).as("stage packages may use only %s, the JDK and libraries", SHARED).isEmpty();
    }

    @Test
    void sharedPackages_importNoStageAndNoWiring() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources) {
            if (!SHARED.contains(s.pkg())) {
                continue;
            }
            for (String target : referencedPackages(s)) {
                if (STAGES.contains(target) || WIRING.contains(target) || target.equals(SIMULATOR)) {
                    violations.add(describe(s, target));
                }
            }
        }
        assertThat(violations).as("only %s may import stage packages", WIRING).isEmpty();
    }

    @Test
    void sharedPackages_useOnlyTheSharedPackagesBelowThem() {
        assertThat(SHARED_USES.keySet()).as("every shared package has its allowed uses").isEqualTo(SHARED);
        List<String> violations = new ArrayList<>();
        for (Source s : sources) {
            if (!SHARED.contains(s.pkg())) {
                continue;
            }
            for (String target : referencedPackages(s)) {
                if (SHARED.contains(target) && !target.equals(s.pkg()) && !SHARED_USES.get(s.pkg()).contains(target)) {
                    violations.add(describe(s, target));
                }
            }
        }
        assertThat(violations).as("shared packages are layered: %s", SHARED_USES).isEmpty();
    }

    @Test
    void event_importsOnlyTheJdk() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources) {
            if (!s.pkg().equals("event")) {
                continue;
            }
            for (String imported : s.imports()) {
                if (!imported.startsWith("java.")) {
                    violations.add(MAIN.relativize(s.file()) + " imports " + imported);
                }
            }
            for (String target : referencedPackages(s)) {
                if (!target.equals("event")) {
                    violations.add(describe(s, target));
                }
            }
        }
        assertThat(violations).as("event records cross every stage boundary and depend on java.* only").isEmpty();
    }

    @Test
    void onlyTheDemo_usesTheSimulator() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources) {
            if (!s.pkg().equals("demo") && referencedPackages(s).contains(SIMULATOR)) {
                violations.add(describe(s, SIMULATOR));
            }
        }
        assertThat(violations).isEmpty();
    }

    /**
     * The wiring packages have a direction too: the CLI runs the agent and the demo, the demo runs the agent, and
     * the agent (the composition root) knows neither; nothing imports the CLI.
     */
    @Test
    void wiring_cliOnTopThenDemoThenAgent() {
        Map<String, Set<String>> mayNotUse = Map.of(
                "agent", Set.of("cli", "demo"),
                "demo", Set.of("cli"));
        List<String> violations = new ArrayList<>();
        for (Source s : sources) {
            for (String target : referencedPackages(s)) {
                boolean upward = mayNotUse.getOrDefault(s.pkg(), Set.of()).contains(target);
                boolean intoCli = target.equals("cli") && !s.pkg().equals("cli");
                if (upward || intoCli) {
                    violations.add(describe(s, target));
                }
            }
        }
        assertThat(violations).as("cli -> demo -> agent -> stages, never back").isEmpty();
    }

    /**
     * The admin API serves what it is handed: it is a stage, so it may not reach into the agent, the CLI or another
     * stage (checked above), and it exposes no package the stages depend on.
     */
    @Test
    void admin_isUsedOnlyByWiring() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources) {
            if (!s.pkg().equals("admin") && !WIRING.contains(s.pkg()) && referencedPackages(s).contains("admin")) {
                violations.add(describe(s, "admin"));
            }
        }
        assertThat(violations).isEmpty();
    }

    /**
     * {@code agent} holds only composition: it builds stages and adapts one to the port of the next. Work with a
     * protocol, a file format, a library or a thread of its own belongs in a stage, so the agent imports only the
     * JDK's basic packages, SLF4J and the project's own packages, and starts no threads itself.
     */
    @Test
    void agent_holdsOnlyComposition() {
        Set<String> allowedJdk = Set.of("java.util", "java.time", "java.io", "java.nio.file", "java.nio.charset",
                "java.lang.management");
        Pattern threads = Pattern.compile("\\bnew\\s+Thread\\b|\\bExecutors\\.|\\bnew\\s+\\w*Executor\\b");
        List<String> violations = new ArrayList<>();
        for (Source s : sources) {
            if (!s.pkg().equals("agent")) {
                continue;
            }
            for (String imported : s.imports()) {
                String pkg = imported.substring(0, imported.lastIndexOf('.'));
                boolean jdk = allowedJdk.stream().anyMatch(a -> pkg.equals(a) || pkg.startsWith(a + "."));
                if (!jdk && !imported.startsWith(ROOT_PACKAGE + ".") && !imported.startsWith("org.slf4j.")) {
                    violations.add(MAIN.relativize(s.file()) + " imports " + imported);
                }
            }
            if (threads.matcher(s.code()).find()) {
                violations.add(MAIN.relativize(s.file()) + " starts threads of its own");
            }
        }
        assertThat(violations).as("the composition root does no work of a stage").isEmpty();
    }

    /** The checker itself: a fully qualified reference in code counts, one in a comment or string does not. */
    @Test
    void referencedPackages_seeFullyQualifiedNamesButNotCommentsOrStrings() {
        String code = stripCommentsAndStrings("""
                package io.edgeagent.decode;
                import io.edgeagent.event.Event;
                import static io.edgeagent.config.Durations.parse;
                // io.edgeagent.rules.RuleEngine in a comment
                /* io.edgeagent.actions.Template */
                class X { String s = "io.edgeagent.buffer.H2Buffer"; char c = '"'; io.edgeagent.uplink.Up u; }
                """);

        Source source = new Source(MAIN.resolve("decode/X.java"), "decode", code, List.of());

        assertThat(referencedPackages(source)).containsExactlyInAnyOrder("decode", "event", "config", "uplink");
    }

    private static Set<String> referencedPackages(Source s) {
        Set<String> packages = new TreeSet<>();
        Matcher m = REFERENCE.matcher(s.code());
        while (m.find()) {
            packages.add(m.group(1));
        }
        return packages;
    }

    private static String describe(Source s, String target) {
        List<String> lines = new ArrayList<>();
        Pattern ref = Pattern.compile("\\bio\\.edgeagent\\." + target + "\\b[\\w.]*");
        List<String> code = s.code().lines().toList();
        for (int i = 0; i < code.size(); i++) {
            Matcher m = ref.matcher(code.get(i));
            while (m.find()) {
                lines.add(m.group() + " (line " + (i + 1) + ")");
            }
        }
        return "edge-agent/src/main/java/io/edgeagent/" + MAIN.relativize(s.file()) + " (" + s.pkg() + ") uses "
                + String.join(", ", lines);
    }

    /** Blanks comments, string/char literals and text blocks, keeping line breaks so line numbers stay right. */
    static String stripCommentsAndStrings(String java) {
        StringBuilder out = new StringBuilder(java.length());
        int i = 0;
        int n = java.length();
        while (i < n) {
            char c = java.charAt(i);
            if (java.startsWith("//", i)) {
                while (i < n && java.charAt(i) != '\n') {
                    i++;
                }
            } else if (java.startsWith("/*", i)) {
                int end = java.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(java, i, end, out);
                i = end;
            } else if (java.startsWith("\"\"\"", i)) {
                int end = java.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                blank(java, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && java.charAt(end) != c && java.charAt(end) != '\n') {
                    end += java.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, n);
                blank(java, i, end, out);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String java, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) {
            out.append(java.charAt(k) == '\n' ? '\n' : ' ');
        }
    }
}
