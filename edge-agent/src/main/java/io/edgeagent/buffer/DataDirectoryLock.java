package io.edgeagent.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on the data directory, held for the agent's lifetime, so two agents never write the same buffer.
 * The lock file holds the owner's pid so the refusal can say who has it. The OS releases the lock if the process dies,
 * so a crash never leaves a stale lock behind.
 */
public final class DataDirectoryLock implements AutoCloseable {

    public static final String FILE_NAME = "agent.lock";

    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final FileChannel channel;
    private final FileLock lock;
    private final Path key;

    private DataDirectoryLock(FileChannel channel, FileLock lock, Path key) {
        this.channel = channel;
        this.lock = lock;
        this.key = key;
    }

    public static DataDirectoryLock acquire(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        Path key = file.toAbsolutePath().normalize();
        // On Linux closing ANY channel of a file drops every lock this process holds on it, so a refused second
        // attempt in the same JVM (tests, the demo) must not even open the file.
        if (!HELD_IN_THIS_JVM.add(key)) {
            throw new BufferException("data directory " + directory + " is in use by another edge-agent (pid "
                    + ProcessHandle.current().pid() + ", this process); two agents must not share a buffer");
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String owner = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                HELD_IN_THIS_JVM.remove(key);
                throw new BufferException("data directory " + directory + " is in use by another edge-agent"
                        + (owner.isEmpty() ? "" : " (pid " + owner + ")") + "; two agents must not share a buffer");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
            return new DataDirectoryLock(channel, lock, key);
        } catch (IOException e) {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(key);
            throw new BufferException("cannot lock data directory " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel below releases it as well.
        }
        closeQuietly(channel);
        HELD_IN_THIS_JVM.remove(key);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing useful to do: the OS drops the lock with the process.
            }
        }
    }
}
