package io.edgeagent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's first command: the demo must show rules firing and make every detection its scenario expects. */
class DemoIT {

    @Test
    @Timeout(90)
    void demo_defaultScenario_makesEveryExpectedDetectionAndPrintsASummary() throws Exception {
        StringWriter out = new StringWriter();

        boolean allDetected = new Demo(Duration.ofSeconds(22), 42, new PrintWriter(out, true)).run();

        String view = out.toString();
        assertThat(view).contains("FIRED  temperature-high").contains("FIRED  geofence-exit")
                .contains("->   mqtt actuators/cold-room-2/command").contains("Summary")
                .contains("0 dead letters").doesNotContain("[ ]");
        assertThat(allDetected).as(view).isTrue();
        Matcher published = Pattern.compile("simulator published (\\d+) messages")
                .matcher(view);
        assertThat(published.find()).as(view).isTrue();
        assertThat(view).as("the summary waits for every published message")
                .contains("agent received      " + published.group(1) + " messages: " + published.group(1)
                        + " events stored durably");
        assertThat(view).as("the header names every rule it announces")
                .contains(ExampleFiles.RULES.size() + " example rules loaded; this scenario should trigger");
        ExampleFiles.RULES.forEach(rule -> assertThat(view.substring(0, view.indexOf("FIRED:"))).contains(rule));
        assertThat(view.lines().filter(l -> l.contains("] status ")).count()).as("status lines every 5 s, not every second")
                .isLessThanOrEqualTo(22 / 5 + 1);
    }

    @Test
    void exampleFiles_listEveryRuleInTheRepository() throws IOException {
        try (Stream<Path> files = Files.list(TestConfigs.rulesDirectory())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted())
                    .containsExactlyElementsOf(ExampleFiles.RULES);
        }
    }
}
