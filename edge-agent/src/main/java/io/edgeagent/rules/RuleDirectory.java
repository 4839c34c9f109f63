package io.edgeagent.rules;

import io.edgeagent.storage.AtomicFiles;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.Problem;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.threads.NamedThreads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the engine in step with a directory of rule files ({@code *.yaml}, {@code *.yml}).
 *
 * <p>{@link #sync} compares the directory with what is deployed and touches only what changed: a new file is
 * deployed, a changed file redeployed (a rule whose file did not change keeps its windows and pattern state), a
 * removed file undeployed. A file that does not load is rejected with its problems, which {@link #problems} keeps for
 * {@code rules list}; if an earlier version of it was running, that version keeps running.
 *
 * <p>With {@link #startWatching} a named thread syncs every {@link #POLL_INTERVAL}. Polling rather than inotify:
 * editors save through renames and temporary files that inotify reports in inconvenient ways, a half-second poll of
 * a few small files costs nothing, and it works on every file system.
 *
 * <p>The admin API changes rules by changing files ({@link #write}, {@link #delete}, {@link #setEnabled}), so the
 * directory stays the one source of truth and a restart loads what was running. Thread-safe: every operation is
 * serialized on this object.
 */
public final class RuleDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuleDirectory.class);
    public static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final Pattern ENABLED_LINE = Pattern.compile("(?m)^enabled\\s*:.*$");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    private record Loaded(String fingerprint, String ruleName) {
    }

    private final Path directory;
    private final RuleFileReader reader;
    private final RuleEngine engine;
    private final Map<Path, Loaded> loaded = new HashMap<>();
    private final Map<Path, Map.Entry<String, List<Problem>>> rejected = new LinkedHashMap<>();
    private Thread watcher;
    private volatile boolean watching;

    public RuleDirectory(Path directory, RuleFileReader reader, RuleEngine engine) {
        this.directory = directory;
        this.reader = reader;
        this.engine = engine;
    }

    /** Rule files in the directory, sorted by name so that loading order (and duplicate-name errors) are stable. */
    public static List<Path> ruleFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).filter(RuleDirectory::isRuleFile).sorted().toList();
        }
    }

    private static boolean isRuleFile(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    /** Brings the engine in line with the directory; returns the problems of files rejected in this pass. */
    public synchronized List<Problem> sync() {
        List<Path> files;
        try {
            files = ruleFiles(directory);
        } catch (IOException e) {
            LOG.error("Cannot list rule files in {}: {}; the running rules stay as they are.", directory, e.getMessage());
            return List.of(new Problem(directory.toString(), 0, "", null, "cannot list rule files: " + e.getMessage()));
        }
        boolean removed = false;
        for (Path gone : new ArrayList<>(loaded.keySet())) {
            if (!files.contains(gone)) {
                removed = true;
                engine.undeploy(loaded.remove(gone).ruleName());
                LOG.info("Rule file {} was removed; its rule is undeployed.", gone);
            }
        }
        rejected.keySet().retainAll(files);
        List<Change> changes = new ArrayList<>();
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                continue; // Mid-rename or just deleted: the next pass sees the final state.
            }
            String fingerprint = Integer.toHexString(text.hashCode()) + ":" + text.length();
            Loaded before = loaded.get(file);
            if (before != null && before.fingerprint().equals(fingerprint)) {
                continue;
            }
            Map.Entry<String, List<Problem>> previousRejection = rejected.get(file);
            if (before == null && previousRejection != null && previousRejection.getKey().equals(fingerprint)) {
                continue;
            }
            changes.add(parse(file, text, fingerprint, before));
        }
        if (changes.isEmpty()) {
            if (removed) {
                engine.pruneCompiled();
            }
            return List.of();
        }
        List<Problem> problems = new ArrayList<>();
        RuleCompiler.Ahead ahead = engine.precompile(
                changes.stream().filter(c -> c.rule() != null).map(Change::rule).toList());
        try {
            for (Change change : changes) {
                apply(change, problems, ahead);
            }
        } finally {
            ahead.close();
        }
        engine.pruneCompiled();
        return problems;
    }

    /** A changed rule file: the rule it now holds, or why it does not parse. */
    private record Change(Path file, String fingerprint, Loaded before, RuleDefinition rule, ConfigException error) {
    }

    private Change parse(Path file, String text, String fingerprint, Loaded before) {
        try {
            return new Change(file, fingerprint, before, reader.parse(file, text), null);
        } catch (ConfigException e) {
            return new Change(file, fingerprint, before, null, e);
        }
    }

    private void apply(Change change, List<Problem> problems, RuleCompiler.Ahead ahead) {
        Path file = change.file();
        Loaded before = change.before();
        try {
            if (change.error() != null) {
                throw change.error();
            }
            RuleDefinition rule = change.rule();
            // Waits here rather than inside the engine's lock, which the heap guard and the time budget need.
            ahead.awaitCompiled(rule);
            if (before != null && !before.ruleName().equals(rule.name())) {
                engine.compile(rule);
                engine.undeploy(before.ruleName());
            }
            engine.deploy(rule);
            loaded.put(file, new Loaded(change.fingerprint(), rule.name()));
            rejected.remove(file);
            if (before != null) {
                LOG.info("Rule {} reloaded from {}.", rule.name(), file);
            }
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            rejected.put(file, Map.entry(change.fingerprint(), e.problems()));
            // One line per problem: log lines are single lines (control characters are escaped).
            LOG.error("Rule file {} rejected with {} problem(s){}.", file, e.problems().size(),
                    before == null ? "" : "; the previous version of rule " + before.ruleName() + " keeps running");
            e.problems().forEach(problem -> LOG.error("  {}", problem.describe()));
            if (before != null) {
                // Remember the bad text so it is not retried every poll, but keep the running version's entry.
                loaded.put(file, new Loaded(change.fingerprint(), before.ruleName()));
            }
        }
    }

    /** Problems of the rule files currently rejected, by file. */
    public synchronized Map<Path, List<Problem>> problems() {
        Map<Path, List<Problem>> copy = new LinkedHashMap<>();
        rejected.forEach((file, entry) -> copy.put(file, entry.getValue()));
        return copy;
    }

    /**
     * Writes a rule file named after the rule and syncs. The text is checked first, so a bad rule never reaches the
     * directory.
     *
     * @throws ConfigException with the rule's problems; nothing is written
     */
    public synchronized RuleDefinition write(String ruleName, String yaml) throws ConfigException, IOException {
        if (!FILE_NAME.matcher(ruleName).matches()) {
            throw new ConfigException(List.of(new Problem(ruleName, 0, "name", ruleName,
                    "expected a rule name of letters, digits, '.', '-' and '_'")));
        }
        Path existing = fileOf(ruleName).orElse(null);
        Path target = existing != null ? existing : directory.resolve(ruleName + ".yaml");
        RuleDefinition rule = reader.parse(target, yaml);
        if (!rule.name().equals(ruleName)) {
            throw new ConfigException(List.of(new Problem(target.toString(), 0, "name", rule.name(),
                    "expected the name in the file to be " + ruleName)));
        }
        engine.check(rule);
        writeAtomically(target, yaml);
        List<Problem> problems = sync();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return rule;
    }

    /** Deletes the file of {@code ruleName} and undeploys it; false when no file holds that rule. */
    public synchronized boolean delete(String ruleName) throws IOException {
        Optional<Path> file = fileOf(ruleName);
        if (file.isEmpty()) {
            return false;
        }
        Files.delete(file.get());
        sync();
        return true;
    }

    /** Sets {@code enabled:} in the rule's file (keeping the rest of the file as written) and syncs. */
    public synchronized boolean setEnabled(String ruleName, boolean enabled) throws IOException, ConfigException {
        Optional<Path> file = fileOf(ruleName);
        if (file.isEmpty()) {
            return false;
        }
        String text = Files.readString(file.get(), StandardCharsets.UTF_8);
        String line = "enabled: " + enabled;
        String updated = ENABLED_LINE.matcher(text).find() ? ENABLED_LINE.matcher(text).replaceFirst(line)
                : text + (text.endsWith("\n") ? "" : "\n") + line + "\n";
        writeAtomically(file.get(), updated);
        List<Problem> problems = sync();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        if (enabled) {
            // A rule the agent disabled (time budget) has a file that still enables it: nothing for sync to do.
            engine.resume(ruleName);
        }
        return true;
    }

    private Optional<Path> fileOf(String ruleName) {
        return loaded.entrySet().stream().filter(e -> e.getValue().ruleName().equals(ruleName))
                .map(Map.Entry::getKey).findFirst();
    }

    private void writeAtomically(Path target, String text) throws IOException {
        Path temp = directory.resolve("." + target.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        AtomicFiles.replace(temp, target);
    }

    /** Starts the watcher thread that syncs every {@link #POLL_INTERVAL}. */
    public synchronized void startWatching() {
        watching = true;
        watcher = NamedThreads.single("edge-rules-watcher", () -> {
            while (watching) {
                try {
                    Thread.sleep(POLL_INTERVAL.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    sync();
                } catch (RuntimeException e) {
                    // Whatever went wrong with this pass, the watcher must keep watching.
                    LOG.error("Reloading rules from {} failed: {}; retrying in {} s.", directory, e.toString(),
                            POLL_INTERVAL.toSeconds());
                }
            }
        });
        watcher.setDaemon(true);
        watcher.start();
        LOG.info("Watching {} for rule changes.", directory);
    }

    @Override
    public void close() {
        watching = false;
        Thread running;
        synchronized (this) {
            running = watcher;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
