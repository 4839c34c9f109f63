package io.edgeagent.config;

import java.nio.file.Path;

/** Relative paths in a configuration file are relative to the file's directory, not to the working directory. */
final class Paths {

    private Paths() {
    }

    static Path resolve(Path base, Path path) {
        return path == null || base == null ? path : base.resolve(path).normalize();
    }
}
