package io.edgeagent.logtext;

/**
 * Makes text from devices safe to print on one line of a log or a terminal: every character that moves the cursor,
 * changes the terminal's state or reorders what is shown (C0 and C1 controls, DEL, line and paragraph separators,
 * bidirectional overrides) and every unpaired surrogate is written as an escape ({@code \n}, {@code \r}, {@code \t},
 * otherwise {@code \}{@code uXXXX}). A device id with a newline cannot forge a second log line, and an escape sequence
 * cannot recolour or clear the terminal of the person reading {@code edge-agent actions}.
 *
 * <p>A backslash is not doubled, so escaping twice changes nothing: text escaped where it is made (a dead-letter
 * reason) passes the log's escaping unchanged. The price is that a device sending the two characters {@code \n} and
 * one sending a newline look the same; what matters here is that neither starts a new line.
 */
public final class ControlChars {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ControlChars() {
    }

    /** {@code text} with its control characters escaped; the same instance (no copy) when there is nothing to escape. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        int i = 0;
        while (i < n && !needsEscape(text, i)) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder out = new StringBuilder(n + 16).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (!needsEscape(text, i)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                        .append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    /** Whether the character at {@code i} is one {@link #escape} rewrites. */
    private static boolean needsEscape(String text, int i) {
        char c = text.charAt(i);
        if (c >= 0x20 && c < 0x7F) {
            return false;
        }
        if (c <= 0x9F) {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
        }
        return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x2028 && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069);
    }
}
