package io.edgeagent.packaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * What {@code gzip -9n} writes: best compression, flagged as such in the header, no name and no time stamp, so that
 * the same input gives the same bytes (Debian policy for changelogs and manual pages, checked by lintian).
 * java.util.zip.GZIPOutputStream cannot set the compression level or the header's flag.
 */
final class Gzip {

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3};

    private Gzip() {
    }

    static void write(Path file, String text) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(HEADER);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        // Closing the deflating stream finishes it; closing a ByteArrayOutputStream does nothing.
        try (OutputStream deflated = new DeflaterOutputStream(out, deflater)) {
            deflated.write(data);
        } finally {
            deflater.end();
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        littleEndian(out, (int) crc.getValue());
        littleEndian(out, data.length);
        Files.createDirectories(file.getParent());
        Files.write(file, out.toByteArray());
    }

    private static void littleEndian(ByteArrayOutputStream out, int value) {
        for (int shift = 0; shift < 32; shift += 8) {
            out.write(value >>> shift);
        }
    }
}
