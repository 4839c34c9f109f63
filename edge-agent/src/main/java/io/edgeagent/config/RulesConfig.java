package io.edgeagent.config;

import java.nio.file.Path;

/**
 * Where rule files live; {@code watch} reloads them when they change on disk; {@code statementCpuTime} adds CPU time
 * to Esper's per-statement metrics (off by default: it costs a system call per statement and event, which roughly
 * triples Esper's own cost per event; wall time and counts are always kept).
 */
public record RulesConfig(Path directory, Boolean watch, Boolean statementCpuTime) {

    public static final Path DEFAULT_DIRECTORY = Path.of("rules");

    public RulesConfig {
        directory = directory == null ? DEFAULT_DIRECTORY : directory;
        watch = watch == null ? Boolean.TRUE : watch;
        statementCpuTime = statementCpuTime == null ? Boolean.FALSE : statementCpuTime;
    }

    public RulesConfig(Path directory, Boolean watch) {
        this(directory, watch, null);
    }

    RulesConfig resolve(Path base) {
        return new RulesConfig(Paths.resolve(base, directory), watch, statementCpuTime);
    }
}
