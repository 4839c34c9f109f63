package io.edgeagent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2FilesTest {

    @TempDir
    Path dir;

    @Test
    void opensWithTheSmallPageCacheAndWithoutH2sObjectCache() throws Exception {
        H2Files.Opened opened = H2Files.open(dir, "t", s -> s.execute("CREATE TABLE IF NOT EXISTS x (a INT)"), 0);
        try (Connection c = opened.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                     + "WHERE SETTING_NAME = 'info.CACHE_MAX_SIZE'")) {
            assertThat(rs.next()).isTrue();
            assertThat(Long.parseLong(rs.getString(1))).isEqualTo(H2Files.CACHE_KB / 1024);
        }
        assertThat(System.getProperty("h2.objectCache")).isEqualTo("false");
    }
}
