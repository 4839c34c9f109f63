package io.edgeagent.config;

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

    public static final Path DEFAULT_DIRECTORY = Path.of("rules");
    public static final double DEFAULT_MAX_PIPELINE_SHARE = 0.5;
    public static final Duration DEFAULT_BUDGET_WINDOW = Duration.ofSeconds(30);

    public RulesConfig {
        directory = directory == null ? DEFAULT_DIRECTORY : directory;
        watch = watch == null ? Boolean.TRUE : watch;
        statementCpuTime = statementCpuTime == null ? Boolean.FALSE : statementCpuTime;
        maxPipelineShare = maxPipelineShare == null ? DEFAULT_MAX_PIPELINE_SHARE : maxPipelineShare;
        budgetWindow = budgetWindow == null ? DEFAULT_BUDGET_WINDOW : budgetWindow;
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
