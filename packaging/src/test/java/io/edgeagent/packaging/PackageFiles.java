package io.edgeagent.packaging;

import io.edgeagent.packaging.testing.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reading the built package and the files in it, for the packaging tests. */
final class PackageFiles {

    /** One line of {@code dpkg-deb -c}. */
    record Entry(String mode, String owner, String path) {
        boolean isDirectory() {
            return mode.startsWith("d");
        }
    }

    private static final Pattern LISTING = Pattern.compile("^(\\S+)\\s+(\\S+)\\s+\\d+\\s+\\S+\\s+\\S+\\s+(\\S+)(?: -> .*)?$");

    private PackageFiles() {
    }

    /** The one .deb that {@code mvn package} wrote into this module's target directory. */
    static Path builtDeb() throws IOException {
        Path target = Path.of(System.getProperty("edge.deb.directory", "target"));
        try (Stream<Path> files = Files.list(target)) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().matches("edge-agent_.*_all\\.deb")).toList();
            if (debs.size() != 1) {
                throw new AssertionError("expected one edge-agent_*_all.deb in " + target + ", found " + debs);
            }
            return debs.get(0);
        }
    }

    static String projectVersion() {
        // The Implementation-Version of the agent jar this module depends on is the project's version.
        String version = io.edgeagent.cli.EdgeAgentCommand.class.getPackage().getImplementationVersion();
        return version != null ? version : System.getProperty("edge.project.version", "0.1.0-SNAPSHOT");
    }

    static List<Entry> listing(Path deb) {
        Command.Result result = Command.run(Duration.ofSeconds(30), List.of("dpkg-deb", "-c", deb.toString()));
        if (result.exitCode() != 0) {
            throw new AssertionError(result.toString());
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : result.stdout().lines().toList()) {
            Matcher m = LISTING.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("unexpected dpkg-deb -c line: " + line);
            }
            entries.add(new Entry(m.group(1), m.group(2), m.group(3)));
        }
        return entries;
    }

    static Map<String, String> controlFields(Path control) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : read(control).lines().toList()) {
            int colon = line.indexOf(':');
            if (!line.startsWith(" ") && colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    /** Every value of {@code key=} in the packaged unit, in order (systemd allows keys to repeat). */
    static List<String> unitValues(Path root, String key) {
        return read(root.resolve("usr/lib/systemd/system/edge-agent.service")).lines()
                .filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1)).toList();
    }

    /** The value of {@code NAME} set by an {@code Environment="NAME=value"} line of the packaged unit. */
    static String unitEnvironment(Path root, String name) {
        for (String value : unitValues(root, "Environment")) {
            String unquoted = value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
            if (unquoted.startsWith(name + "=")) {
                return unquoted.substring(name.length() + 1);
            }
        }
        throw new AssertionError("the unit sets no " + name);
    }

    /** The value of an active {@code NAME="value"} line of an environment file such as /etc/default/edge-agent. */
    static String environmentFileValue(Path file, String name) {
        for (String line : read(file).lines().toList()) {
            if (line.startsWith(name + "=")) {
                String value = line.substring(name.length() + 1);
                return value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
            }
        }
        throw new AssertionError(file + " sets no " + name);
    }

    /** File names of the example rules in the repository's rules/ directory. */
    static List<String> exampleRules(Path repository) throws IOException {
        try (Stream<Path> files = Files.list(repository.resolve("rules"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
