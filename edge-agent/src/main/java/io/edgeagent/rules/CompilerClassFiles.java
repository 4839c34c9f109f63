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
import java.util.jar.JarFile;
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

    private record Root(JarFile jar, Path directory, ProtectionDomain domain) {
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
                // Unverified (no signers), but with the entries of a multi-release jar for this Java.
                roots.add(Files.isDirectory(path) ? new Root(null, path, domain) : new Root(
                        new JarFile(path.toFile(), false, ZipFile.OPEN_READ, Runtime.version()), null, domain));
            }
        } catch (URISyntaxException | RuntimeException e) {
            IOException failure = new IOException("not a file location among " + List.of(locations) + ": "
                    + e.getMessage(), e);
            closeAfter(failure);
            throw failure;
        } catch (IOException e) {
            closeAfter(e);
            throw e;
        }
    }

    private void closeAfter(IOException failure) {
        try {
            close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** The first class file named {@code resource} (e.g. {@code org/codehaus/janino/Parser.class}), or null. */
    ClassFile find(String resource) throws IOException {
        for (Root root : roots) {
            if (root.jar() != null) {
                byte[] bytes = read(root.jar(), resource);
                if (bytes != null) {
                    return new ClassFile(bytes, root.domain());
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

    /** The entry's bytes, or null; a jar closed meanwhile (a compile still running after a release) is an IOException. */
    private static byte[] read(JarFile jar, String resource) throws IOException {
        try {
            ZipEntry entry = jar.getEntry(resource);
            if (entry == null) {
                return null;
            }
            try (InputStream in = jar.getInputStream(entry)) {
                return in.readAllBytes();
            }
        } catch (IllegalStateException e) {
            throw new IOException(jar.getName() + " is closed", e);
        }
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
