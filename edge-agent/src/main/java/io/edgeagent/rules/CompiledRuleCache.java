package io.edgeagent.rules;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.EPCompiledManifest;
import com.espertech.esper.runtime.client.util.RuntimeVersion;
import io.edgeagent.storage.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled rule modules on disk, so that a restart deploys the rules it already compiled instead of compiling them
 * again (and never loads the compiler when no rule changed).
 *
 * <p>An entry's key is a SHA-256 over the EPL compiled (a {@link RuleShape}'s text, which rules of the same shape
 * share) and everything the byte code depends on: the Esper
 * version, the class files of the event types and functions the rules can name, and the declared event types. A change to any of them is a
 * different key, so an entry is never stale; entries no rule uses any more are removed by {@link #retainOnly}.
 *
 * <p>The file format is the agent's own (no Java serialization): magic, format version, Esper's manifest, then each
 * class as name, length and bytes, then a CRC-32 of everything before it: this is byte code the agent will run, and
 * an SD card flips bits. A file that does not read back (bad checksum, a length beyond the file) is deleted and the
 * rule compiled again. Writes go to a temporary file that is renamed into place, so a crash leaves either the old
 * entry or the new one.
 * Thread-safe: entries are immutable once renamed into place.
 */
final class CompiledRuleCache {

    private static final Logger LOG = LoggerFactory.getLogger(CompiledRuleCache.class);
    private static final int MAGIC = 0x45414331; // "EAC1"
    private static final int FORMAT = 2;
    private static final String SUFFIX = ".epc";

    private final Path directory;
    private final byte[] environment;

    /**
     * @param dependencies names of the classes whose byte code compiled rules depend on (event types, functions)
     * @param declarations anything else compiled rules depend on, as text (the declared event types)
     */
    CompiledRuleCache(Path directory, List<String> dependencies, String declarations) {
        this.directory = directory;
        this.environment = environment(dependencies, declarations);
    }

    /** The key of {@code epl} compiled. */
    String key(String epl) {
        MessageDigest sha = sha256();
        sha.update(environment);
        sha.update(epl.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    boolean contains(String key) {
        return Files.isRegularFile(directory.resolve(key + SUFFIX));
    }

    Optional<EPCompiled> get(String key) {
        Path file = directory.resolve(key + SUFFIX);
        CRC32 crc = new CRC32();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
             DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc))) {
            long size = Files.size(file);
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new IOException("not a compiled rule file of this version");
            }
            EPCompiledManifest manifest = EPCompiledManifest.read(in);
            int count = length(in.readInt(), size);
            Map<String, byte[]> classes = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                byte[] bytes = new byte[length(in.readInt(), size)];
                in.readFully(bytes);
                classes.put(name, bytes);
            }
            long computed = crc.getValue();
            if (new DataInputStream(raw).readLong() != computed || raw.read() != -1) {
                throw new IOException("checksum mismatch");
            }
            return Optional.of(new EPCompiled(classes, manifest));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Compiled rule file {} is unreadable ({}); deleting it and compiling the rule again.", file,
                    e.toString());
            delete(file);
            return Optional.empty();
        }
    }

    /** Stores an entry; a failure to write is logged and costs only a compile at the next start. */
    void put(String key, EPCompiled compiled) {
        Path file = directory.resolve(key + SUFFIX);
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            // A file of its own per writer: a timed-out precompile may still be writing the same key.
            temporary = Files.createTempFile(directory, key, ".tmp");
            CRC32 crc = new CRC32();
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(temporary));
                 DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc))) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                compiled.getManifest().write(out);
                out.writeInt(compiled.getClasses().size());
                for (Map.Entry<String, byte[]> c : compiled.getClasses().entrySet()) {
                    out.writeUTF(c.getKey());
                    out.writeInt(c.getValue().length);
                    out.write(c.getValue());
                }
                out.flush();
                new DataOutputStream(raw).writeLong(crc.getValue());
            }
            AtomicFiles.replace(temporary, file);
        } catch (IOException e) {
            LOG.warn("Cannot store the compiled rule in {} ({}); it will be compiled again at the next start.",
                    directory, e.toString());
            if (temporary != null) {
                delete(temporary);
            }
        }
    }

    /** A length or count read from a file, which cannot be larger than the file: a flipped bit must not become 2 GB. */
    private static int length(int value, long fileSize) throws IOException {
        if (value < 0 || value > fileSize) {
            throw new IOException("a length of " + value + " in a file of " + fileSize + " bytes");
        }
        return value;
    }

    /** Deletes every entry whose key is not in {@code keys}. */
    void retainOnly(Set<String> keys) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(f -> {
                String name = f.getFileName().toString();
                return name.endsWith(".tmp") || name.endsWith(SUFFIX)
                        && !keys.contains(name.substring(0, name.length() - SUFFIX.length()));
            }).forEach(CompiledRuleCache::delete);
        } catch (IOException e) {
            LOG.warn("Cannot list the compiled rules in {}: {}", directory, e.toString());
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", file, e.toString());
        }
    }

    private static byte[] environment(List<String> dependencies, String declarations) {
        MessageDigest sha = sha256();
        sha.update(("edge-agent compiled rules " + FORMAT + "; Esper " + RuntimeVersion.RUNTIME_VERSION + "; "
                + declarations).getBytes(StandardCharsets.UTF_8));
        for (String type : dependencies) {
            String resource = type.replace('.', '/') + ".class";
            try (InputStream in = CompiledRuleCache.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("cannot read the class file of " + type);
                }
                sha.update(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the class file of " + type, e);
            }
        }
        return sha.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
