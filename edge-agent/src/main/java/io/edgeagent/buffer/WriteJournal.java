package io.edgeagent.buffer;

import io.edgeagent.event.BufferedEvent;
import io.edgeagent.event.DeadLetter;
import io.edgeagent.event.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * The buffer's writes since the last successful checkpoint. H2 keeps committed changes in memory until it writes
 * them; when a write fails it closes the store, and reopening the file loses them. The pipeline acknowledges messages
 * only after a checkpoint, and a checkpoint on the reopened store would cover rows that are gone; so these writes are
 * replayed on the reopened store before it is used. Emptied by every successful checkpoint, so it holds at most the
 * writes of one commit interval (and the buffer checkpoints by itself beyond {@link #MAX_ROWS}).
 */
final class WriteJournal {

    static final int MAX_ROWS = 20_000;

    /** One committed write: an append (events and dead letters) or a removal. */
    sealed interface Entry permits Append, Remove {
    }

    record Append(List<? extends Event> events, List<DeadLetter> deadLetters, long storedTime) implements Entry {
    }

    record Remove(List<BufferedEvent> rows) implements Entry {
    }

    private final List<Entry> entries = new ArrayList<>();
    private int rows;

    void append(List<? extends Event> events, List<DeadLetter> deadLetters, long storedTime) {
        entries.add(new Append(List.copyOf(events), List.copyOf(deadLetters), storedTime));
        rows += events.size() + deadLetters.size();
    }

    void remove(List<BufferedEvent> removed) {
        entries.add(new Remove(List.copyOf(removed)));
        rows += removed.size();
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    int rows() {
        return rows;
    }

    boolean full() {
        return rows > MAX_ROWS;
    }

    void clear() {
        entries.clear();
        rows = 0;
    }
}
