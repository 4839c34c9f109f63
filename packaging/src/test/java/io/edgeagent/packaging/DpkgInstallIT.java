package io.edgeagent.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.packaging.testing.Command;
import io.edgeagent.packaging.testing.Command.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Installs, reinstalls, removes and purges the package with the real dpkg, so that the maintainer scripts run as
 * they do on a Raspberry Pi. It changes the machine (a system user, /etc, /var/lib), so it runs only where
 * EDGE_AGENT_DPKG_TEST=1 (CI's throwaway machine, see .ci/run), as root, and never over an existing installation.
 * Where systemd is the init system the service is started too, which exercises the unit's sandbox.
 */
@EnabledIfEnvironmentVariable(named = "EDGE_AGENT_DPKG_TEST", matches = "1")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DpkgInstallIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path DATA = Path.of("/var/lib/edge-agent");
    private static final Path CONFIG = Path.of("/etc/edge-agent/config.yaml");
    private static final Path CLASS_ARCHIVE = Path.of("/var/cache/edge-agent/classes.jsa");

    @Test
    void dpkg_installReinstallRemovePurge_scriptsIdempotentAndPurgeCleansUp() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Command.requireTool("dpkg");
        assertThat(Command.run(TIMEOUT, List.of("dpkg-query", "-W", "edge-agent")).exitCode())
                .as("edge-agent is already installed here; this test only runs on a throwaway machine").isNotZero();
        assertThat(getent("passwd", "edge-agent").exitCode()).as("user edge-agent exists already").isNotZero();
        String deb = PackageFiles.builtDeb().toString();
        try {
            dpkg("-i", deb);
            assertThat(getent("passwd", "edge-agent").stdout()).contains(":/var/lib/edge-agent:/usr/sbin/nologin");
            assertOwnerAndMode(DATA, "edge-agent", "edge-agent", "rwxr-x---");
            assertOwnerAndMode(Path.of("/etc/edge-agent/rules"), "root", "edge-agent", "rwxrwxr-x");
            assertThat(Path.of("/etc/systemd/system/multi-user.target.wants/edge-agent.service")).exists();
            // postinst built the start-up class archive, root's and read-only; the JVM the launcher starts accepts it.
            assertOwnerAndMode(CLASS_ARCHIVE, "root", "root", "r--r--r--");
            Result version = ok(List.of("/usr/bin/edge-agent", "version"));
            assertThat(version.stderr()).as("no warning about the class archive").isEmpty();
            // A Java package changing /usr/lib/jvm runs the trigger, which makes a new archive.
            assertThat(Files.readString(Path.of("/var/lib/dpkg/info/edge-agent.triggers"))).contains("interest-noawait /usr/lib/jvm");
            long before = Files.getLastModifiedTime(CLASS_ARCHIVE).toMillis();
            ok(List.of("/var/lib/dpkg/info/edge-agent.postinst", "triggered", "/usr/lib/jvm"));
            assertThat(Files.getLastModifiedTime(CLASS_ARCHIVE).toMillis()).isGreaterThan(before);
            // As the service's user, with the launcher's default configuration: what `systemctl start` would load.
            assertThat(ok(List.of("runuser", "-u", "edge-agent", "--", "/usr/bin/edge-agent", "config", "check")).stdout())
                    .contains("/etc/edge-agent/config.yaml is valid").contains("data in /var/lib/edge-agent");
            if (Files.isDirectory(Path.of("/run/systemd/system"))) {
                // The sandbox lets the agent start and write its state directory: the token appears there.
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(DATA.resolve("admin.token")));
                assertThat(ok(List.of("systemctl", "is-active", "edge-agent")).stdout().strip()).isEqualTo("active");
                assertOwnerAndMode(DATA.resolve("admin.token"), "edge-agent", "edge-agent", "rw-------");
            }

            // An administrator's edit and the agent's data survive a reinstall (dpkg's upgrade path).
            Files.writeString(CONFIG, Files.readString(CONFIG) + "# edited by the administrator\n");
            Files.writeString(DATA.resolve("keep.me"), "data");
            String uid = getent("passwd", "edge-agent").stdout();
            dpkg("-i", "--force-confold", deb);
            assertThat(Files.readString(CONFIG)).endsWith("# edited by the administrator\n");
            assertThat(DATA.resolve("keep.me")).exists();
            assertThat(getent("passwd", "edge-agent").stdout()).isEqualTo(uid);

            // remove keeps configuration, data and user.
            dpkg("-r", "edge-agent");
            assertThat(Path.of("/usr/bin/edge-agent")).doesNotExist();
            assertThat(CLASS_ARCHIVE.getParent()).as("the archive is only valid with the removed jars").doesNotExist();
            assertThat(CONFIG).exists();
            assertThat(DATA.resolve("keep.me")).exists();
            assertThat(getent("passwd", "edge-agent").exitCode()).isZero();

            // purge removes them.
            dpkg("-P", "edge-agent");
            assertThat(Path.of("/etc/edge-agent")).doesNotExist();
            assertThat(DATA).doesNotExist();
            assertThat(Path.of("/etc/default/edge-agent")).doesNotExist();
            assertThat(getent("passwd", "edge-agent").exitCode()).isNotZero();
            assertThat(getent("group", "edge-agent").exitCode()).isNotZero();
        } finally {
            Command.run(TIMEOUT, List.of("dpkg", "-P", "edge-agent"));
        }
    }

    private static void dpkg(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("dpkg", "--force-confdef"));
        command.addAll(List.of(args));
        ok(command);
    }

    private static Result ok(List<String> command) {
        Result result = Command.run(TIMEOUT, command);
        assertThat(result.exitCode()).as(command + "\n" + result).isZero();
        return result;
    }

    private static Result getent(String database, String key) {
        return Command.run(TIMEOUT, List.of("getent", database, key));
    }

    private static void assertOwnerAndMode(Path path, String owner, String group, String mode) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class);
        assertThat(attributes.owner().getName()).as(path + " owner").isEqualTo(owner);
        assertThat(attributes.group().getName()).as(path + " group").isEqualTo(group);
        assertThat(PosixFilePermissions.toString(attributes.permissions())).as(path + " mode").isEqualTo(mode);
    }
}
