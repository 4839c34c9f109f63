package io.edgeagent.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.packaging.testing.Command;
import io.edgeagent.packaging.testing.Command.Result;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Debian's own package checker on the built .deb: no error and no warning. What it cannot judge is overridden in
 * packaging/lintian-overrides, each override with its reason; an override that no longer matches is reported
 * (unused-override).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LintianIT {

    @Test
    void lintian_builtDeb_noErrorsNoWarnings() throws Exception {
        Command.requireTool("lintian");
        Result result = Command.run(Duration.ofSeconds(280), List.of("lintian", "--allow-root",
                "--fail-on", "error,warning", "--tag-display-limit", "0",
                PackageFiles.builtDeb().toString()));
        List<String> findings = result.stdout().lines()
                .filter(line -> line.matches("^[EW]: .*") || line.contains("unused-override")).toList();
        assertThat(findings).as(result.toString()).isEmpty();
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }
}
