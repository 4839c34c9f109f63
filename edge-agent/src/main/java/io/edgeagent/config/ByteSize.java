package io.edgeagent.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size in bytes, written in configuration as {@code 512KB}, {@code 256MB}, {@code 2GB} (powers of 1024) or a plain number. */
public record ByteSize(long bytes) {

    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|KIB|MIB|GIB)?");

    public static ByteSize parse(String text) {
        Matcher m = FORM.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as 64MB, 512KB or 2GB");
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        long factor = switch (unit) {
            case "KB", "KIB" -> 1024L;
            case "MB", "MIB" -> 1024L * 1024;
            case "GB", "GIB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        try {
            return new ByteSize(Math.multiplyExact(Long.parseLong(m.group(1)), factor));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("expected a size such as 64MB, 512KB or 2GB (this one is too large)");
        }
    }

    public static ByteSize ofMegabytes(long mb) {
        return new ByteSize(mb * 1024 * 1024);
    }

    @Override
    public String toString() {
        if (bytes % (1024L * 1024 * 1024) == 0 && bytes > 0) {
            return bytes / (1024L * 1024 * 1024) + "GB";
        } else if (bytes % (1024L * 1024) == 0 && bytes > 0) {
            return bytes / (1024L * 1024) + "MB";
        } else if (bytes % 1024L == 0 && bytes > 0) {
            return bytes / 1024L + "KB";
        }
        return Long.toString(bytes);
    }
}
