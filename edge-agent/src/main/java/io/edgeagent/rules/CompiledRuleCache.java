package io.edgeagent.rules;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.EPCompiledManifest;
import com.espertech.esper.runtime.client.util.RuntimeVersion;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled rule modules on disk, so that a restart deploys the rules it already compiled instead of compiling them
 * again (and never loads the compiler when no rule changed).
 *
 * <p>An entry's key is a SHA-256 over the rule's name and EPL and everything the byte code depends on: the Esper
 * version, the class files of the event types and functions the rules can name, and the declared event types. A change to any of them is a
 * different key, so an entry is never stale; entries no rule uses any more are removed by {@link #retainOnly}.
 *
 * <p>The file format is the agent's own (no Java serialization): magic, format version, Esper's manifest, then each
 * class as name, length and bytes. A file that does not read back is deleted and the rule compiled again. Writes go
 * to a temporary file that is renamed into place, so a crash leaves either the old entry or the new one.
 * Thread-safe: entries are immutable once renamed into place.
 */
final class CompiledRuleCache {

    private static final Logger LOG = LoggerFactory.getLogger(CompiledRuleCache.class);
    private static final int MAGIC = 0x45414331; // "EAC1"
    private static final int FORMAT = 1;
    private static final String SUFFIX = ".epc";

    private final Path directory;
    private final byte[] environment;

    /**
     * @param dependencies classes whose byte code compiled rules depend on (event types, functions)
     * @param declarations anything else compiled rules depend on, as text (the declared event types)
     */
    CompiledRuleCache(Path directory, List<Class<?>> dependencies, String declarations) {
        this.directory = directory;
        this.environment = environment(dependencies, declarations);
    }

    /** The key of {@code epl} compiled for rule {@code ruleName}. */
    String key(String ruleName, String epl) {
        MessageDigest sha = sha256();
        sha.update(environment);
        sha.update(ruleName.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(epl.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    Optional<EPCompiled> get(String key) {
        Path file = directory.resolve(key + SUFFIX);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new IOException("not a compiled rule file of this version");
            }
            EPCompiledManifest manifest = EPCompiledManifest.read(in);
            int count = in.readInt();
            Map<String, byte[]> classes = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                classes.put(name, bytes);
            }
            if (in.read() != -1) {
                throw new IOException("trailing bytes");
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
        Path temporary = directory.resolve(key + SUFFIX + ".tmp");
        try {
            Files.createDirectories(directory);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary)))) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                compiled.getManifest().write(out);
                out.writeInt(compiled.getClasses().size());
                for (Map.Entry<String, byte[]> c : compiled.getClasses().entrySet()) {
                    out.writeUTF(c.getKey());
                    out.writeInt(c.getValue().length);
                    out.write(c.getValue());
                }
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("Cannot store the compiled rule in {} ({}); it will be compiled again at the next start.",
                    directory, e.toString());
            delete(temporary);
        }
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

    private static byte[] environment(List<Class<?>> dependencies, String declarations) {
        MessageDigest sha = sha256();
        sha.update(("edge-agent compiled rules " + FORMAT + "; Esper " + RuntimeVersion.RUNTIME_VERSION + "; "
                + declarations).getBytes(StandardCharsets.UTF_8));
        for (Class<?> type : dependencies) {
            String resource = type.getName().replace('.', '/') + ".class";
            try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("cannot read the class file of " + type.getName());
                }
                sha.update(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the class file of " + type.getName(), e);
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
