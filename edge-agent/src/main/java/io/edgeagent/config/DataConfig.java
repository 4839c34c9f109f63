package io.edgeagent.config;

import java.nio.file.Path;

/** The agent's state directory: the buffer database, its lock, the admin token. */
public record DataConfig(Path directory) {

    public static final Path DEFAULT_DIRECTORY = Path.of("data");

    public DataConfig {
        directory = directory == null ? DEFAULT_DIRECTORY : directory;
    }

    DataConfig resolve(Path base) {
        return new DataConfig(Paths.resolve(base, directory));
    }
}
