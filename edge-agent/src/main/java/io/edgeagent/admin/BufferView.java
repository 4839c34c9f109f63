package io.edgeagent.admin;

import java.util.Map;

/**
 * {@code GET /api/buffer} and {@code edge-agent buffer stats --json}, the same fields in both: {@code storedBytes} is
 * the event JSON waiting for upload (what {@code buffer.maxBytes} bounds), {@code fileBytes} the database file.
 */
public record BufferView(long events, long storedBytes, long fileBytes, String oldest, long oldestAgeSeconds,
                         long dropped, long lost, long deadLetters, Map<String, Long> byKind) {
}
