package io.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.event.InboundMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InflightJournalTest {

    @TempDir
    Path dir;

    /** The value from the reference XXH3 (python-xxhash 3.x: xxh3_64 of topic and payload, combined the same way). */
    @Test
    void fingerprint_isFixedForAGivenMessage_soThatTheNextStartCanMatchIt() {
        assertThat(InflightJournal.fingerprint(message("sensors/t1/temperature", "{\"value\":21.5}")))
                .isEqualTo(InflightJournal.fingerprint(message("sensors/t1/temperature", "{\"value\":21.5}")))
                .isEqualTo(0x772ece0bf8c5bcf4L);
    }

    @Test
    void fingerprint_tellsWhereTheTopicEndsAndThePayloadBegins() {
        assertThat(InflightJournal.fingerprint(message("a/b", "c")))
                .isNotEqualTo(InflightJournal.fingerprint(message("a/", "bc")))
                .isNotEqualTo(InflightJournal.fingerprint(message("a/b", "d")))
                .isNotEqualTo(InflightJournal.fingerprint(message("a/c", "c")));
    }

    @Test
    void aBatchLeftMarked_isSuspectedAtTheNextStart_andAMessageLeftMarkedAloneIsPoison() {
        Path file = dir.resolve("pipeline.journal");
        InboundMessage first = message("sensors/a", "1");
        InboundMessage second = message("sensors/b", "2");
        InflightJournal crashed = InflightJournal.open(file, 10);
        crashed.begin(List.of(first, second));
        crashed.close();

        InflightJournal suspecting = InflightJournal.open(file, 10);
        assertThat(suspecting.expectsRedelivery()).isTrue();
        assertThat(suspecting.takePoison(first)).isFalse();
        suspecting.begin(List.of(second));
        suspecting.close();

        InflightJournal poisoned = InflightJournal.open(file, 10);
        assertThat(poisoned.takePoison(first)).isFalse();
        assertThat(poisoned.takePoison(second)).isTrue();
        assertThat(poisoned.takePoison(second)).isFalse();
        poisoned.close();
    }

    @Test
    void aBatchEnded_leavesNothingToSuspect() {
        Path file = dir.resolve("pipeline.journal");
        InflightJournal journal = InflightJournal.open(file, 10);
        journal.begin(List.of(message("sensors/a", "1")));
        journal.end();
        journal.close();

        assertThat(InflightJournal.open(file, 10).expectsRedelivery()).isFalse();
    }

    @Test
    void aJournalFromAnEarlierBuild_withABatchMarked_isStartedAfresh() throws Exception {
        Path file = dir.resolve("pipeline.journal");
        ByteBuffer old = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        old.putInt(0x45414a31).putInt(1).putInt(1).putInt(0).putLong(42);
        Files.write(file, old.array());

        InflightJournal journal = InflightJournal.open(file, 10);

        assertThat(journal.expectsRedelivery()).isFalse();
        journal.close();
        assertThat(InflightJournal.open(file, 10).expectsRedelivery()).isFalse();
    }

    /** A journal whose writes fail as on a full disk (/dev/full answers every write with ENOSPC). */
    @Test
    void aDiskThatRefusesEveryWrite_doesNotStopThePipeline() throws Exception {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.isWritable(full), "needs Linux's /dev/full");
        Path file = Files.createSymbolicLink(dir.resolve("pipeline.journal"), full);
        InflightJournal journal = InflightJournal.open(file, 10);
        InboundMessage first = message("sensors/a", "1");

        journal.begin(List.of(first));
        journal.end();

        assertThat(journal.expectsRedelivery()).isFalse();
        assertThat(journal.takePoison(first)).isFalse();
        journal.close();
    }

    private static InboundMessage message(String topic, String payload) {
        return new InboundMessage(topic, payload.getBytes(StandardCharsets.UTF_8), 0, () -> { });
    }
}
