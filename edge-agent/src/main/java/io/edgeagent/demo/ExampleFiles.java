package io.edgeagent.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The repository's example configuration and rules, packaged into the jar at build time (see the pom), so the demo
 * runs the same files a user reads in the repository. Rule names are listed here once; a test checks the list against
 * the rules/ directory.
 */
public final class ExampleFiles {

    public static final List<String> RULES = List.of("device-silent", "door-open-warming", "geofence-enter",
            "geofence-exit", "moved-far", "speeding", "temperature-high", "temperature-rapid-rise",
            "temperature-sustained-high");

    private ExampleFiles() {
    }

    public static String config() {
        return resource("/examples/config.yaml");
    }

    /** Writes every example rule file into {@code directory}. */
    public static void writeRules(Path directory) {
        try {
            Files.createDirectories(directory);
            for (String rule : RULES) {
                Files.writeString(directory.resolve(rule + ".yaml"), resource("/examples/rules/" + rule + ".yaml"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the example rules to " + directory, e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ExampleFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar; rebuild with ./mvnw package");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " from the jar", e);
        }
    }
}
