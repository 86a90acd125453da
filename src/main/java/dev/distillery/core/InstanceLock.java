package dev.distillery.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One running Distillery per data directory. An OS file lock on {@code <data>/distillery.lock}
 * (released by the OS if the process dies, so a crash never leaves a stale lock) plus the holder's
 * process id in the file, so that a second instance can say who holds it.
 */
public final class InstanceLock implements AutoCloseable {
    public static final String FILE_NAME = "distillery.lock";
    /** The lock covers one byte far past the text, so the pid stays readable on every OS. */
    private static final long LOCK_POSITION = Long.MAX_VALUE - 1;

    private final FileChannel channel;
    private final FileLock lock;
    private final Path file;

    private InstanceLock(FileChannel channel, FileLock lock, Path file) {
        this.channel = channel;
        this.lock = lock;
        this.file = file;
    }

    /**
     * Takes the lock or explains who has it.
     *
     * @throws AlreadyRunningException when another process (or this one) holds the data directory
     */
    public static InstanceLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock(LOCK_POSITION, 1, false);
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM
            }
            if (lock == null) {
                String holder = readHolder(file);
                channel.close();
                throw new AlreadyRunningException(dataDir, holder);
            }
            channel.truncate(0);
            String pid = Long.toString(ProcessHandle.current().pid());
            channel.write(ByteBuffer.wrap(pid.getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new InstanceLock(channel, lock, file);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new DataDirectoryException("Cannot lock the data directory " + dataDir + " (" + e.getMessage()
                    + "). Check that the folder is writable.", e);
        }
    }

    private static String readHolder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.matches("\\d{1,19}") ? text : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // the OS releases it with the channel anyway
        }
        closeQuietly(channel);
    }
}
