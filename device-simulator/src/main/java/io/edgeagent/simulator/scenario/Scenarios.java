package io.edgeagent.simulator.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.edgeagent.simulator.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Finds and parses scenarios: the built-in ones by name, the user's own from YAML files. The format is described in
 * {@code docs/simulator.md}. Thread-safe; every method either returns a valid scenario or throws.
 */
public final class Scenarios {

    private static final List<String> BUILT_IN = List.of("demo", "heatwave", "fleet", "flaky");
    private static final String RESOURCE_DIR = "/io/edgeagent/simulator/scenarios/";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Scenarios() {
    }

    /** The names of the scenarios that ship with the simulator, in the order the CLI lists them. */
    public static List<String> builtIn() {
        return BUILT_IN;
    }

    /**
     * Loads a built-in scenario by name, or else a scenario file at that path.
     *
     * @throws IllegalArgumentException when there is neither, or the file is not a valid scenario (the message names
     *                                  every problem with its place in the file)
     */
    public static Scenario load(String nameOrPath) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new IllegalArgumentException("no scenario given: name a built-in one (" + String.join(", ", BUILT_IN)
                    + ") or a YAML file");
        }
        if (BUILT_IN.contains(nameOrPath)) {
            return parse(builtInYaml(nameOrPath), "built-in scenario " + nameOrPath);
        }
        Path file = Path.of(nameOrPath);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("unknown scenario '" + nameOrPath + "': it is neither a built-in one ("
                    + String.join(", ", BUILT_IN) + ") nor a readable file");
        }
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read scenario file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The YAML text of a built-in scenario, to show or to copy as the start of one's own.
     *
     * @throws IllegalArgumentException when there is no built-in scenario of that name
     */
    public static String builtInYaml(String name) {
        if (!BUILT_IN.contains(name)) {
            throw new IllegalArgumentException("no built-in scenario '" + name + "': expected one of "
                    + String.join(", ", BUILT_IN));
        }
        try (InputStream in = Scenarios.class.getResourceAsStream(RESOURCE_DIR + name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("built-in scenario " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses and validates scenario YAML.
     *
     * @param source names the text in error messages, e.g. a file name
     * @throws IllegalArgumentException naming every problem found
     */
    public static Scenario parse(String yaml, String source) {
        Scenario scenario;
        try {
            scenario = YAML.readValue(yaml, Scenario.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException(source + " is not a valid scenario" + where + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
        if (scenario == null) {
            throw new IllegalArgumentException(source + " is empty");
        }
        List<String> problems = ScenarioValidator.problems(scenario);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(source + " has " + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + ":\n  " + String.join("\n  ", problems));
        }
        return scenario;
    }

    /** Durations in scenario files are written like on the command line: {@code 20s}, {@code 500ms}, {@code PT1M}. */
    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            try {
                return Durations.parse(p.getValueAsString());
            } catch (IllegalArgumentException e) {
                return (Duration) ctxt.handleWeirdStringValue(Duration.class, p.getValueAsString(), e.getMessage());
            }
        }
    }
}
