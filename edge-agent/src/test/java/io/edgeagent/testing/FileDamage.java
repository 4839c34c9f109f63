package io.edgeagent.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** The damage a stopped agent's files suffer in the chaos tests, done the way a person or a failing card would. */
public final class FileDamage {

    private FileDamage() {
    }

    /** {@code truncate -s $((SIZE/2)) file}. */
    public static void truncateToHalf(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
    }

    /** {@code : > file}. */
    public static void empty(Path file) throws IOException {
        Files.write(file, new byte[0]);
    }

    /** {@code bytes} random bytes (from {@code seed}) written over the middle of the file, in place. */
    public static void overwriteMiddle(Path file, int bytes, long seed) throws IOException {
        byte[] noise = new byte[bytes];
        new Random(seed).nextBytes(noise);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() / 2);
            f.write(noise);
        }
    }

    /**
     * {@code bytes} random bytes (from {@code seed}) written in place from every spot where {@code marker} occurs in
     * the file: the page holding a known row, wherever H2 put it, breaks without touching the rest of the file.
     * Returns how many spots were overwritten.
     */
    public static int overwriteAt(Path file, byte[] marker, int bytes, long seed) throws IOException {
        byte[] noise = new byte[bytes];
        new Random(seed).nextBytes(noise);
        return writeAt(file, marker, noise);
    }

    /**
     * {@code replacement} (as long as {@code marker}) written over every occurrence of {@code marker}: a value
     * changed inside its page, which H2 still decodes (it checks where a page is, not what it holds). Returns how
     * many spots were changed.
     */
    public static int replace(Path file, String marker, String replacement) throws IOException {
        if (marker.length() != replacement.length()) {
            throw new IllegalArgumentException("the replacement must keep the length");
        }
        return writeAt(file, marker.getBytes(StandardCharsets.UTF_8), replacement.getBytes(StandardCharsets.UTF_8));
    }

    private static int writeAt(Path file, byte[] marker, byte[] data) throws IOException {
        byte[] content = Files.readAllBytes(file);
        int hits = 0;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            for (int at = indexOf(content, marker, 0); at >= 0; at = indexOf(content, marker, at + 1)) {
                f.seek(at);
                f.write(data, 0, Math.min(data.length, content.length - at));
                hits++;
            }
        }
        return hits;
    }

    /** Where {@code marker} first occurs in {@code content} at or after {@code from}, or -1. */
    public static int indexOf(byte[] content, byte[] marker, int from) {
        for (int i = from; i <= content.length - marker.length; i++) {
            if (Arrays.equals(content, i, i + marker.length, marker, 0, marker.length)) {
                return i;
            }
        }
        return -1;
    }

    /** The files in {@code directory} named {@code <name>.corrupt-<millis>}. */
    public static List<Path> quarantined(Path directory, String name) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().matches(java.util.regex.Pattern.quote(name)
                    + "\\.corrupt-\\d+")).toList();
        }
    }
}
