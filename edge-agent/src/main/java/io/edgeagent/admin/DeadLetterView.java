package io.edgeagent.admin;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** One row of {@code GET /api/dead-letters}: the payload as text when it is text, else {@code hex:...}. */
public record DeadLetterView(long seq, String received, String topic, String reason, String payload) {

    public static DeadLetterView of(long seq, long receivedMillis, String topic, String reason, byte[] payload) {
        return new DeadLetterView(seq, ViewTimes.iso(receivedMillis), topic, reason, printable(payload));
    }

    /** UTF-8 text when the payload is text, hex otherwise, so the JSON stays readable and lossless. */
    static String printable(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        boolean isText = text.chars().allMatch(ch -> ch >= 0x20 || ch == '\n' || ch == '\r' || ch == '\t')
                && !text.contains("\uFFFD");
        return isText ? text : "hex:" + HexFormat.of().formatHex(payload);
    }
}
