package io.edgeagent.agent;

import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.event.DeadLetter;
import io.edgeagent.uplink.OutboxSource;
import io.edgeagent.uplink.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The uplink's view of the buffer: the composition root adapts one stage to the other's interface. */
final class BufferOutbox implements OutboxSource {

    private final H2Buffer buffer;

    BufferOutbox(H2Buffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public List<BufferedEvent> peekOldest(int max) {
        return buffer.peek(max);
    }

    @Override
    public List<BufferedEvent> peekNewest(int max, long afterSeq) {
        return buffer.peekNewest(max, afterSeq);
    }

    @Override
    public void remove(List<BufferedEvent> rows) {
        buffer.remove(rows);
    }

    @Override
    public void deadLetter(List<Rejection> rejected) {
        long now = System.currentTimeMillis();
        buffer.append(List.of(), rejected.stream().map(r -> new DeadLetter(r.destination(),
                r.event().body().getBytes(StandardCharsets.UTF_8), r.reason(), now)).toList());
    }

    @Override
    public long depth() {
        return buffer.depth();
    }
}
