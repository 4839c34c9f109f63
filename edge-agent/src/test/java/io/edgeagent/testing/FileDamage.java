package io.edgeagent.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The files in {@code directory} named {@code <name>.corrupt-<millis>}. */
    public static List<Path> quarantined(Path directory, String name) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().matches(java.util.regex.Pattern.quote(name)
                    + "\\.corrupt-\\d+")).toList();
        }
    }
}
