package io.edgeagent.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeagent.event.BufferedEvent;
import io.edgeagent.storage.H2Salvage;
import io.edgeagent.storage.RowCheck;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The outbox row checksum on rows in a real H2 table whose values were changed the ways damage changes them: a
 * covered value altered, a value of another type, a value missing. Every such row is refused as damage (H2's "file
 * corrupted" code, which the buffer salvages), never handed on and never an unexpected exception.
 */
class OutboxChecksumTest {

    private static final List<String> COLUMNS = List.of("seq", "id", "kind", "device_id", "event_time", "body",
            "body_crc");
    private static final byte[] BODY = "{\"id\":\"r-1\",\"value\":21.5,\"unit\":\"°C\"}".getBytes(StandardCharsets.UTF_8);

    private Connection db;

    @BeforeEach
    void open() throws SQLException {
        db = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID());
        table("INT");
    }

    /** The outbox's checked columns, nullable, so that a test can store a missing value; the checksum of any type. */
    private void table(String checksumType) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("DROP TABLE IF EXISTS outbox");
            s.execute("CREATE TABLE outbox (seq BIGINT, id VARCHAR, kind VARCHAR, device_id VARCHAR, "
                    + "event_time BIGINT, body VARBINARY, body_crc " + checksumType + ")");
        }
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
    }

    private void insert(String id, String kind, String deviceId, long eventTime, byte[] body, Object crc)
            throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO outbox VALUES (7, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, id);
            p.setString(2, kind);
            p.setString(3, deviceId);
            p.setLong(4, eventTime);
            p.setBytes(5, body);
            p.setObject(6, crc);
            p.executeUpdate();
        }
    }

    private static int crc() {
        return OutboxChecksum.of("r-1", "Reading", "kühlraum-1", 1_795_000_000_000L, BODY);
    }

    private BufferedEvent read() throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT seq, "
                + String.join(", ", OutboxChecksum.CHECKED) + " FROM outbox")) {
            rs.next();
            return OutboxChecksum.read(rs);
        }
    }

    private boolean intact() throws SQLException {
        RowCheck check = OutboxChecksum.forColumns(COLUMNS);
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM outbox")) {
            rs.next();
            Object[] values = new Object[COLUMNS.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = rs.getObject(i + 1);
            }
            return check.intact(values);
        }
    }

    @Test
    void read_rowAsWritten_givesTheEvent() throws SQLException {
        insert("r-1", "Reading", "kühlraum-1", 1_795_000_000_000L, BODY, crc());

        assertThat(read()).isEqualTo(new BufferedEvent(7, "r-1", "Reading", "kühlraum-1", 1_795_000_000_000L,
                new String(BODY, StandardCharsets.UTF_8)));
        assertThat(intact()).isTrue();
    }

    @Test
    void read_rowWithoutChecksum_isNotChecked() throws SQLException {
        insert("r-1", "Reading", "d", 1, BODY, null);

        assertThat(read().id()).isEqualTo("r-1");
        assertThat(intact()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "kind", "device_id", "event_time", "body", "fields shifted"})
    void read_aCoveredValueChanged_isDamageNamingTheRow(String changed) throws SQLException {
        byte[] body = BODY.clone();
        if (changed.equals("body")) {
            body[body.length - 3] ^= 1;
        }
        insert(changed.equals("id") ? "r-2" : changed.equals("fields shifted") ? "r-1R" : "r-1",
                changed.equals("kind") ? "Location" : changed.equals("fields shifted") ? "eading" : "Reading",
                changed.equals("device_id") ? "kühlraum-2" : "kühlraum-1",
                changed.equals("event_time") ? 1_795_000_000_001L : 1_795_000_000_000L, body, crc());

        assertThatThrownBy(this::read).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode())
                        .isEqualTo(org.h2.api.ErrorCode.FILE_CORRUPTED_1))
                .hasMessageStartingWith("the outbox row with seq 7 reads back other than it was written (CRC-32C ");
        assertThat(intact()).isFalse();
    }

    @Test
    void read_checksumOfAnotherType_isDamage() throws SQLException {
        table("VARCHAR");
        insert("r-1", "Reading", "kühlraum-1", 1_795_000_000_000L, BODY, Integer.toString(crc()));

        assertThatThrownBy(this::read).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(H2Salvage.isDamage((SQLException) e)).isTrue())
                .hasMessageContaining("a value is missing or not of its column's type");
        assertThat(intact()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void read_bodyMissing_isDamageWithOrWithoutAChecksum(boolean withChecksum) throws SQLException {
        insert("r-1", "Reading", "kühlraum-1", 1_795_000_000_000L, null, withChecksum ? crc() : null);

        assertThatThrownBy(this::read).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(H2Salvage.isDamage((SQLException) e)).isTrue())
                .hasMessageContaining("a value is missing or not of its column's type");
        assertThat(intact()).isFalse();
    }
}
