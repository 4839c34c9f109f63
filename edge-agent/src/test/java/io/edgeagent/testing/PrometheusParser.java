package io.edgeagent.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus client's reference text parser ({@code python3-prometheus-client}, Debian), run as a child process on
 * an exposition. When {@code CI=true} a missing parser is a failure, not a skip: CI installs it (.ci/run).
 */
public final class PrometheusParser {

    /** One family as the parser read it; counters lose their {@code _total}, as the parser names them. */
    public record Family(String name, String type, List<JsonNode> samples) {
    }

    private static final String SCRIPT = String.join("\n",
            "import json, sys",
            "from prometheus_client.parser import text_string_to_metric_families",
            "for f in text_string_to_metric_families(sys.stdin.read()):",
            "    print(json.dumps({'name': f.name, 'type': f.type,",
            "                      'samples': [{'name': s.name, 'labels': s.labels, 'value': s.value} for s in f.samples]}))",
            "");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PrometheusParser() {
    }

    public static List<Family> parse(String exposition) throws IOException, InterruptedException {
        String python = python();
        Process process = new ProcessBuilder(python, "-c", SCRIPT).redirectErrorStream(false).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the Prometheus parser did not finish in 30 s");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("the Prometheus parser rejected the exposition: "
                    + new String(err, StandardCharsets.UTF_8));
        }
        List<Family> families = new ArrayList<>();
        for (String line : new String(out, StandardCharsets.UTF_8).lines().toList()) {
            JsonNode node = JSON.readTree(line);
            List<JsonNode> samples = new ArrayList<>();
            node.path("samples").forEach(samples::add);
            families.add(new Family(node.path("name").asText(), node.path("type").asText(), samples));
        }
        return families;
    }

    /** Debian's python3 has the package; a pyenv python3 earlier on the PATH may not. */
    private static String python() throws InterruptedException {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            if (candidate.startsWith("/") && !Files.isExecutable(Path.of(candidate))) {
                continue;
            }
            try {
                Process check = new ProcessBuilder(candidate, "-c", "import prometheus_client.parser")
                        .redirectErrorStream(true).start();
                check.getInputStream().readAllBytes();
                if (check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException notInstalled) {
                // try the next one
            }
        }
        String problem = "no python3 with prometheus_client (apt-get install python3-prometheus-client)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(problem + "; CI=true, so this is a failure, not a skip");
        }
        assumeTrue(false, problem + " (skipped outside CI)");
        return null;
    }
}
