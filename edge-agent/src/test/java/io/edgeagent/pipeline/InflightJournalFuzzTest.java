package io.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.event.InboundMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A damaged pipeline journal (a torn write, a disk that returned garbage, a file from another program, a count
 * larger than the file) never stops the agent from starting: the journal opens, and once a batch has ended it is
 * a valid, idle journal again.
 */
class InflightJournalFuzzTest {

    private static final int CAPACITY = 16;

    @Property(tries = 500)
    void open_anyFileContent_opensAndIsValidAgainAfterABatch(@ForAll("damaged") byte[] content) throws Exception {
        Path dir = Files.createTempDirectory("journal-fuzz");
        Path file = dir.resolve("pipeline.journal");
        try {
            Files.write(file, content);
            InflightJournal journal = InflightJournal.open(file, CAPACITY);
            journal.expectsRedelivery();
            InboundMessage message = new InboundMessage("sensors/a", new byte[] {1}, 0, () -> { });
            journal.takePoison(message);
            journal.begin(List.of(message));
            journal.end();
            journal.close();

            InflightJournal reopened = InflightJournal.open(file, CAPACITY);
            assertThat(reopened.expectsRedelivery()).isFalse();
            reopened.close();
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** Noise; and headers of this format or the earlier one with any state and count, the fingerprints noise too. */
    @Provide
    Arbitrary<byte[]> damaged() {
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(16 + 8 * CAPACITY + 40);
        Arbitrary<byte[]> headers = Arbitraries.of(0x45414a32, 0x45414a31).flatMap(magic -> Arbitraries.integers()
                .flatMap(state -> Arbitraries.integers().flatMap(count -> noise.map(rest -> {
                    ByteBuffer b = ByteBuffer.allocate(12 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
                    b.putInt(magic).putInt(state).putInt(count).put(rest);
                    return b.array();
                }))));
        return Arbitraries.oneOf(noise, headers);
    }
}
