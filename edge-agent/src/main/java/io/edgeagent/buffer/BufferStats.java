package io.edgeagent.buffer;

import java.util.Map;

/**
 * A snapshot of the buffer. {@code oldestEventTime} is 0 when empty; {@code dropped} counts events removed by the
 * {@code drop-oldest} policy since the buffer was created.
 */
public record BufferStats(long rows, long bytes, long oldestReceivedTime, long dropped, long deadLetters,
                          Map<String, Long> rowsByKind) {
}
