package io.edgeagent.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where rule files live; {@code watch} reloads them when they change on disk; {@code statementCpuTime} adds CPU time
 * to Esper's per-statement metrics (off by default: it costs a system call per statement and event, which roughly
 * triples Esper's own cost per event; wall time and counts are always kept). A rule that spends more than
 * {@code maxPipelineShare} of the pipeline's time over {@code budgetWindow} is disabled (0 or 1 turn that off).
 */
public record RulesConfig(Path directory, Boolean watch, Boolean statementCpuTime, Double maxPipelineShare,
                          Duration budgetWindow) {

    static final Field<Path> DIRECTORY = Field.of("directory", Path.of("rules"),
            Check.that(Files::isDirectory, "expected an existing directory of rule files"));
    static final Field<Boolean> WATCH = Field.of("watch", true);
    static final Field<Boolean> STATEMENT_CPU_TIME = Field.of("statementCpuTime", false);
    static final Field<Double> MAX_PIPELINE_SHARE = Field.of("maxPipelineShare", 0.5,
            Check.that(s -> !s.isNaN() && s >= 0 && s <= 1,
                    "expected a share from 0 to 1, e.g. 0.5 (0 or 1 turn the time budget off)"));
    static final Field<Duration> BUDGET_WINDOW = Field.of("budgetWindow", Duration.ofSeconds(30),
            Check.that(w -> w.compareTo(Duration.ofSeconds(1)) >= 0, "expected a duration of 1s or more"));

    public RulesConfig {
        directory = DIRECTORY.or(directory);
        watch = WATCH.or(watch);
        statementCpuTime = STATEMENT_CPU_TIME.or(statementCpuTime);
        maxPipelineShare = MAX_PIPELINE_SHARE.or(maxPipelineShare);
        budgetWindow = BUDGET_WINDOW.or(budgetWindow);
    }

    public RulesConfig(Path directory, Boolean watch) {
        this(directory, watch, null, null, null);
    }

    public RulesConfig(Path directory, Boolean watch, Boolean statementCpuTime) {
        this(directory, watch, statementCpuTime, null, null);
    }

    /** Whether the time budget is on: a share of 0 or of 1 and more turns it off. */
    public boolean timeBudget() {
        return maxPipelineShare > 0 && maxPipelineShare < 1;
    }

    RulesConfig resolve(Path base) {
        return new RulesConfig(Paths.resolve(base, directory), watch, statementCpuTime, maxPipelineShare, budgetWindow);
    }
}
