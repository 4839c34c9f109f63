package io.edgeagent.config;

import java.nio.file.Path;

/** Where rule files live; {@code watch} reloads them when they change on disk. */
public record RulesConfig(Path directory, Boolean watch) {

    public static final Path DEFAULT_DIRECTORY = Path.of("rules");

    public RulesConfig {
        directory = directory == null ? DEFAULT_DIRECTORY : directory;
        watch = watch == null ? Boolean.TRUE : watch;
    }

    RulesConfig resolve(Path base) {
        return new RulesConfig(Paths.resolve(base, directory), watch);
    }
}
