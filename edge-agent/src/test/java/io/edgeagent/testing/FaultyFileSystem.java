package io.edgeagent.testing;

import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.config.BufferConfig;
import io.edgeagent.config.ByteSize;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@code faulty:}) over the real disk that fails writes or reads on demand, per directory: the
 * disk-full and I/O-error cases without a tmpfs. Open a store through scheme {@link #SCHEME} and call
 * {@link #failWrites}/{@link #heal}. A failed write throws what the kernel's ENOSPC looks like to Java.
 */
public final class FaultyFileSystem extends FilePathWrapper {

    public static final String SCHEME = "faulty";

    private static final Set<String> FAILING_WRITES = ConcurrentHashMap.newKeySet();
    private static final Set<String> FAILING_READS = ConcurrentHashMap.newKeySet();
    private static final AtomicLong FAILED = new AtomicLong();

    static {
        FilePath.register(new FaultyFileSystem());
    }

    /** Registers the scheme (idempotent); call before opening a store through it. */
    public static void install() {
        // The static initializer did it.
    }

    public static void failWrites(Path directory) {
        FAILING_WRITES.add(key(directory));
    }

    public static void failReads(Path directory) {
        FAILING_READS.add(key(directory));
    }

    public static void heal(Path directory) {
        FAILING_WRITES.remove(key(directory));
        FAILING_READS.remove(key(directory));
    }

    /** A buffer configuration without the free-space guard, so that writes reach the failing file system. */
    public static final BufferConfig NO_GUARD = new BufferConfig(null, null, null, null, null, null, new ByteSize(0));

    /** Opens a buffer in {@code directory} through this file system. */
    public static H2Buffer buffer(Path directory, BufferConfig config) {
        return H2Buffer.open(directory, config, Clock.systemUTC(), SCHEME);
    }

    /** Operations failed on purpose so far (all directories). */
    public static long failed() {
        return FAILED.get();
    }

    private static String key(Path directory) {
        return directory.toAbsolutePath().normalize().toString();
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new FaultyChannel(getBase().open(mode), name.substring(getScheme().length() + 1));
    }

    /** Delegates to the real channel unless the file's directory is set to fail. */
    private static final class FaultyChannel extends FileBase {

        private final FileChannel base;
        private final String file;

        FaultyChannel(FileChannel base, String file) {
            this.base = base;
            this.file = file;
        }

        private void checkWrite() throws IOException {
            if (failing(FAILING_WRITES)) {
                FAILED.incrementAndGet();
                throw new IOException("No space left on device");
            }
        }

        private void checkRead() throws IOException {
            if (failing(FAILING_READS)) {
                FAILED.incrementAndGet();
                throw new IOException("Input/output error");
            }
        }

        private boolean failing(Set<String> directories) {
            String parent = key(Path.of(file).getParent());
            return directories.contains(parent);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            checkRead();
            return base.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            checkRead();
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            checkWrite();
            return base.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            checkWrite();
            return base.write(src, position);
        }

        @Override
        public void force(boolean metaData) throws IOException {
            checkWrite();
            base.force(metaData);
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            checkWrite();
            base.truncate(size);
            return this;
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public synchronized FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
