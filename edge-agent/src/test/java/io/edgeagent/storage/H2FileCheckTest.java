package io.edgeagent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.testing.FileDamage;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The structural check on a real H2 file: silent on a healthy file, specific about each kind of damage. */
class H2FileCheckTest {

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void writeDatabase() throws Exception {
        try (Connection c = H2Files.open(dir, "t", s -> s.execute("CREATE TABLE IF NOT EXISTS x (a INT, b VARCHAR)"),
                0).connection(); Statement s = c.createStatement()) {
            for (int i = 0; i < 20; i++) {
                s.execute("INSERT INTO x SELECT X, REPEAT('b', 200) FROM SYSTEM_RANGE(1, 1000)");
                s.execute("CHECKPOINT");
            }
        }
        file = dir.resolve("t.mv.db");
    }

    @Test
    void problem_healthyOrMissingFile_isEmpty() throws Exception {
        assertThat(H2FileCheck.problem(file)).isEmpty();
        assertThat(H2FileCheck.problem(dir.resolve("none.mv.db"))).isEmpty();
    }

    /** The file of a database just created, as a kill -9 at that moment leaves it: its header names no chunk yet. */
    @Test
    void problem_newFileWhoseHeaderNamesNoChunk_isEmpty() throws Exception {
        Path fresh = dir.resolve("fresh");
        Path copy = dir.resolve("copy.mv.db");
        // Copied while the database is open, as a kill would leave it.
        Connection open = H2Files.open(fresh, "n", s -> s.execute("CREATE TABLE IF NOT EXISTS y (a INT)"), 0)
                .connection();
        try {
            Files.copy(fresh.resolve("n.mv.db"), copy);
        } finally {
            open.close();
        }
        assertThat(new String(Files.readAllBytes(copy), 0, 100, java.nio.charset.StandardCharsets.ISO_8859_1))
                .startsWith("H:2,").doesNotContain("chunk:");

        assertThat(H2FileCheck.problem(copy)).isEmpty();
    }

    @Test
    void problem_emptyOrShortFile_saysSo() throws Exception {
        FileDamage.empty(file);
        assertThat(H2FileCheck.problem(file)).hasValue("the file is empty (0 bytes)");
        Files.write(file, new byte[100]);
        assertThat(H2FileCheck.problem(file)).get().asString().contains("100 bytes, shorter than the two header");
    }

    @Test
    void problem_cutInHalf_saysItWasCutShort() throws Exception {
        FileDamage.truncateToHalf(file);
        assertThat(H2FileCheck.problem(file)).get().asString().contains("cut short");
    }

    @Test
    void problem_cutInsideABlock_saysItWasCutShort() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - 100);
        }
        assertThat(H2FileCheck.problem(file)).get().asString().contains("not a whole number of 4 KB blocks");
    }

    @Test
    void problem_damagedHeadersOrEnd_saysWhich() throws Exception {
        byte[] original = Files.readAllBytes(file);
        overwrite(original.length - 128, 128);
        assertThat(H2FileCheck.problem(file)).get().asString().contains("footer");

        Files.write(file, original);
        overwrite(0, 2 * H2FileCheck.BLOCK);
        assertThat(H2FileCheck.problem(file)).hasValue("neither copy of the file header is readable");
    }

    private void overwrite(long position, int length) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            f.write(new byte[length]);
        }
    }
}
