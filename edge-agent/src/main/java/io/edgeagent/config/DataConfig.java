package io.edgeagent.config;

import java.nio.file.Path;

/** The agent's state directory: the buffer database, its lock, the admin token. */
public record DataConfig(Path directory) {

    static final Field<Path> DIRECTORY = Field.of("directory", Path.of("data"));

    public DataConfig {
        directory = DIRECTORY.or(directory);
    }

    DataConfig resolve(Path base) {
        return new DataConfig(Paths.resolve(base, directory));
    }
}
