package io.edgeagent.rules;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The class files of the rule compiler's jars (or class directories), read as plain zip entries.
 *
 * <p>Why not through {@link java.net.URLClassLoader}: Janino's jar is signed. A class loaded from a signed jar has
 * its entry's digest checked on every start and carries signers, and the JVM leaves classes with signers out of the
 * start-up class archive (docs/performance.md, start-up with 200 rules): every start parsed and verified Janino
 * again. The agent grants jars no permissions by signature, and the package manager checks the files it installs,
 * so the signature bought nothing here. Classes keep their jar as code source, without signers.
 */
final class CompilerClassFiles implements Closeable {

    /** A class file and the protection domain of the jar or directory it is in. */
    record ClassFile(byte[] bytes, ProtectionDomain domain) {
    }

    private record Root(ZipFile jar, Path directory, ProtectionDomain domain) {
    }

    private final List<Root> roots = new ArrayList<>();

    /**
     * @param locations jars and class directories, as {@code file:} URLs
     * @param loader the class loader the classes are defined in
     */
    CompilerClassFiles(URL[] locations, ClassLoader loader) throws IOException {
        try {
            for (URL location : locations) {
                Path path = Path.of(location.toURI());
                ProtectionDomain domain = new ProtectionDomain(new CodeSource(location, (CodeSigner[]) null), null,
                        loader, null);
                roots.add(Files.isDirectory(path) ? new Root(null, path, domain)
                        : new Root(new ZipFile(path.toFile()), null, domain));
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            close();
            throw new IOException("not a file location among " + List.of(locations) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** The first class file named {@code resource} (e.g. {@code org/codehaus/janino/Parser.class}), or null. */
    ClassFile find(String resource) throws IOException {
        for (Root root : roots) {
            if (root.jar() != null) {
                ZipEntry entry = root.jar().getEntry(resource);
                if (entry != null) {
                    try (InputStream in = root.jar().getInputStream(entry)) {
                        return new ClassFile(in.readAllBytes(), root.domain());
                    }
                }
            } else {
                try {
                    return new ClassFile(Files.readAllBytes(root.directory().resolve(resource)), root.domain());
                } catch (NoSuchFileException e) {
                    // not in this directory: the next root
                }
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Root root : roots) {
            if (root.jar() != null) {
                try {
                    root.jar().close();
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
