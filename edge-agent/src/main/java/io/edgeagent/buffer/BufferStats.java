package io.edgeagent.buffer;

import java.util.Map;

/**
 * A snapshot of the buffer. {@code oldestReceivedTime} is 0 when empty; {@code dropped} counts events removed by the
 * {@code drop-oldest} policy since the buffer was created; {@code bytes} is the database file's size and
 * {@code storedBytes} the event JSON waiting for upload, which is what {@code buffer.maxBytes} bounds.
 */
public record BufferStats(long rows, long bytes, long oldestReceivedTime, long dropped, long deadLetters,
                          Map<String, Long> rowsByKind, long storedBytes) {
}
