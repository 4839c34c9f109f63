package io.edgeagent.rules;

import io.edgeagent.config.ConfigException;
import io.edgeagent.config.Problem;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads every rule file ({@code *.yaml}, {@code *.yml}) of a directory into the engine. A file that is not a valid
 * rule is reported and skipped; the others still deploy.
 */
public final class RuleDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(RuleDirectory.class);

    private final Path directory;
    private final RuleFileReader reader;
    private final RuleEngine engine;

    public RuleDirectory(Path directory, RuleFileReader reader, RuleEngine engine) {
        this.directory = directory;
        this.reader = reader;
        this.engine = engine;
    }

    /** Rule files in the directory, sorted by name so that loading order (and duplicate-name errors) are stable. */
    public static List<Path> ruleFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".yaml") || f.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
    }

    /** @return the problems of the files that were rejected (empty when all deployed) */
    public List<Problem> loadAll() {
        List<Problem> problems = new ArrayList<>();
        List<Path> files;
        try {
            files = ruleFiles(directory);
        } catch (IOException e) {
            problems.add(new Problem(directory.toString(), 0, "", null, "cannot list rule files: " + e.getMessage()));
            LOG.error("Cannot list rule files in {}: {}", directory, e.getMessage());
            return problems;
        }
        for (Path file : files) {
            try {
                RuleDefinition rule = reader.read(file);
                engine.deploy(rule);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
                LOG.error("Rule file {} rejected: {}", file, e.getMessage());
            }
        }
        LOG.info("Loaded {} rules from {} ({} files rejected).", engine.status().size(), directory,
                problems.stream().map(Problem::source).distinct().count());
        return problems;
    }
}
