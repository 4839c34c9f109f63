package io.edgeagent.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * A structural check of an H2 MVStore file that runs before H2 opens it read-write: H2 falls back silently to the
 * newest complete version of a cut file and compacts it at the next close, after which the rest cannot be recovered.
 *
 * <p>Reads the two copies of the file header, the chunk the header names (its header and its checksummed footer) and
 * the checksummed footer that must end the file (a few blocks, whatever the file's size), then opens the file
 * read-only to see whether H2 can read the newest version the header records. It finds a zero-length or short file,
 * a file cut anywhere, damaged headers and footers, and damaged newest chunks. It does not read the rows' pages:
 * damage inside an older page is found when the page is read (see {@link H2Salvage}). Every problem it reports is
 * real damage or loss, never a healthy file (H2 writes whole chunks, each ending in its footer, at least one header
 * copy names a complete chunk, and a healthy file opens at its newest version).
 */
public final class H2FileCheck {

    static final int BLOCK = 4096;
    /** H2 writes each chunk's footer into its last 128 bytes. */
    private static final int FOOTER = 128;

    private H2FileCheck() {
    }

    /** Why {@code file} is damaged, or empty when it looks intact (or does not exist: a new database). */
    public static Optional<String> problem(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        long size = Files.size(file);
        if (size == 0) {
            return Optional.of("the file is empty (0 bytes)");
        }
        if (size < 2L * BLOCK) {
            return Optional.of("the file is " + size + " bytes, shorter than the two header blocks of an H2 database");
        }
        if (size % BLOCK != 0) {
            return Optional.of("the file is " + size + " bytes, not a whole number of 4 KB blocks: it was cut short");
        }
        long blocks = size / BLOCK;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Map<String, String> header = newestHeader(channel);
            if (header == null) {
                return Optional.of("neither copy of the file header is readable");
            }
            // A new file's header names no chunk yet; H2 then finds the newest chunk from the file's end.
            if (header.get("block") != null && header.get("chunk") != null) {
                Optional<String> named = namedChunkProblem(channel, header, blocks);
                if (named.isPresent()) {
                    return named;
                }
            }
            if (checksummed(read(channel, size - FOOTER, FOOTER)).get("chunk") == null) {
                return Optional.of("the file does not end with a complete chunk: it was cut short or its end is damaged");
            }
        }
        return newestVersionProblem(file);
    }

    /**
     * H2 opens the newest version whose chunks are all present and intact, silently falling back to an older one
     * when a newer chunk is damaged (space is reused, so the newest chunks may lie anywhere in the file). A
     * read-only open (about 20 ms for a 100,000-event buffer, warm; it reads the layout, not the rows) shows which
     * version that is; the header records the newest one written.
     */
    private static Optional<String> newestVersionProblem(Path file) {
        try (MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open()) {
            long recorded = recordedVersion(store);
            long readable = store.getCurrentVersion();
            if (readable < recorded) {
                return Optional.of("H2 can read only version " + readable + " of the file but its header records "
                        + "version " + recorded + ": the newest chunks are damaged or missing");
            }
            return Optional.empty();
        } catch (MVStoreException e) {
            int code = e.getErrorCode();
            if (code == DataUtils.ERROR_FILE_LOCKED || code == DataUtils.ERROR_UNSUPPORTED_FORMAT) {
                return Optional.empty();
            }
            return Optional.of("H2 cannot read the file's structure: " + e.getMessage());
        }
    }

    /**
     * How many versions the file header records beyond the newest one H2 can read: what a file cut short or with
     * damaged newest chunks lost. 0 when none, or when the file cannot be opened at all.
     */
    public static long versionsCutOff(Path file) {
        try (MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open()) {
            return Math.max(0, recordedVersion(store) - store.getCurrentVersion());
        } catch (MVStoreException e) {
            return 0;
        }
    }

    private static long recordedVersion(MVStore store) {
        Object recorded = store.getStoreHeader().get("version");
        if (recorded == null) {
            return -1;
        }
        return recorded instanceof Number n ? n.longValue() : DataUtils.parseHexLong(recorded.toString());
    }

    /** The chunk the header names must lie in the file, start with its own header and end with its footer. */
    private static Optional<String> namedChunkProblem(FileChannel channel, Map<String, String> header, long blocks)
            throws IOException {
        long block = DataUtils.parseHexLong(header.get("block"));
        String chunk = header.get("chunk");
        if (block + 1 > blocks) {
            return Optional.of("the header names chunk " + chunk + " at block " + block + " but the file ends at "
                    + "block " + blocks + ": it was cut short");
        }
        Map<String, String> chunkHeader = parse(text(read(channel, block * BLOCK, BLOCK)));
        if (!chunk.equals(chunkHeader.get("chunk")) || chunkHeader.get("len") == null) {
            return Optional.of("chunk " + chunk + ", which the header names, is not at block " + block);
        }
        long end = block + DataUtils.parseHexLong(chunkHeader.get("len"));
        if (end > blocks) {
            return Optional.of("chunk " + chunk + " at block " + block + " ends at block " + end + " but the file "
                    + "ends at block " + blocks + ": it was cut short");
        }
        if (!chunk.equals(checksummed(read(channel, end * BLOCK - FOOTER, FOOTER)).get("chunk"))) {
            return Optional.of("the footer of chunk " + chunk + " (block " + (end - 1) + ") is damaged");
        }
        return Optional.empty();
    }

    /** The valid header copy (blocks 0 and 1) with the higher version, or null when neither is valid. */
    private static Map<String, String> newestHeader(FileChannel channel) throws IOException {
        Map<String, String> newest = null;
        for (int copy = 0; copy < 2; copy++) {
            Map<String, String> header = checksummed(read(channel, (long) copy * BLOCK, BLOCK));
            if (header.get("H") != null && (newest == null || version(header) > version(newest))) {
                newest = header;
            }
        }
        return newest;
    }

    private static long version(Map<String, String> header) {
        return header.get("version") == null ? -1 : DataUtils.parseHexLong(header.get("version"));
    }

    private static byte[] read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0) {
            // read until full or end of file
        }
        return buffer.array();
    }

    /** The first line of a block: H2's header and chunk texts end at a newline, or are padded with spaces. */
    private static String text(byte[] block) {
        int end = 0;
        while (end < block.length && block[end] >= ' ') {
            end++;
        }
        return new String(block, 0, end, StandardCharsets.ISO_8859_1).trim();
    }

    /** The key-value map in {@code bytes} if its fletcher checksum matches, else an empty map. */
    private static Map<String, String> checksummed(byte[] bytes) {
        String line = text(bytes);
        int at = line.lastIndexOf(",fletcher:");
        if (at < 0) {
            return Map.of();
        }
        byte[] covered = line.substring(0, at).getBytes(StandardCharsets.ISO_8859_1);
        try {
            int expected = DataUtils.parseHexInt(line.substring(at + ",fletcher:".length()));
            return DataUtils.getFletcher32(covered, 0, covered.length) == expected ? parse(line) : Map.of();
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    /** H2's key-value text, or an empty map when the bytes are not such text (damage). */
    private static Map<String, String> parse(String text) {
        try {
            return DataUtils.parseMap(text);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }
}
