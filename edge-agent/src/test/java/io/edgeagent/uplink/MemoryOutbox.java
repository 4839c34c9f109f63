package io.edgeagent.uplink;

import io.edgeagent.event.BufferedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory outbox with the buffer's contract: seq in append order, peek without removing. */
final class MemoryOutbox implements OutboxSource {

    private final TreeMap<Long, BufferedEvent> rows = new TreeMap<>();
    /** Removals still to fail, as a buffer whose storage failed does. */
    final AtomicInteger failRemoves = new AtomicInteger();
    private long nextSeq = 1;

    synchronized void add(String deviceId, int count) {
        for (int i = 0; i < count; i++) {
            long seq = nextSeq++;
            String id = "e-" + seq;
            rows.put(seq, new BufferedEvent(seq, id, "Reading", deviceId, seq,
                    "{\"id\":\"" + id + "\",\"kind\":\"Reading\",\"deviceId\":\"" + deviceId + "\"}"));
        }
    }

    /** One event whose body carries {@code padding} characters more than a normal one, hardly compressible. */
    synchronized void addPadded(String deviceId, int padding) {
        long seq = nextSeq++;
        String id = "e-" + seq;
        rows.put(seq, new BufferedEvent(seq, id, "Reading", deviceId, seq, "{\"id\":\"" + id
                + "\",\"kind\":\"Reading\",\"deviceId\":\"" + deviceId + "\",\"pad\":\"" + noise(padding) + "\"}"));
    }

    private static String noise(int length) {
        java.util.Random random = new java.util.Random(length);
        StringBuilder s = new StringBuilder(length);
        while (s.length() < length) {
            s.append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
        }
        return s.substring(0, length);
    }

    @Override
    public synchronized List<BufferedEvent> peekOldest(int max) {
        return rows.values().stream().limit(max).toList();
    }

    @Override
    public synchronized List<BufferedEvent> peekNewest(int max, long afterSeq) {
        List<BufferedEvent> above = new ArrayList<>(rows.tailMap(afterSeq, false).values());
        return List.copyOf(above.subList(Math.max(0, above.size() - max), above.size()));
    }

    @Override
    public synchronized void remove(List<BufferedEvent> removed) {
        if (failRemoves.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("the buffer's storage failed (test)");
        }
        removed.forEach(r -> rows.remove(r.seq()));
    }

    /** Events dead-lettered, in order. */
    final List<Rejection> deadLetters = new ArrayList<>();

    @Override
    public synchronized void deadLetter(List<Rejection> rejected) {
        deadLetters.addAll(rejected);
    }

    @Override
    public synchronized long depth() {
        return rows.size();
    }
}
