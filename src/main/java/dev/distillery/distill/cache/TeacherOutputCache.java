package dev.distillery.distill.cache;

import dev.distillery.model.Preprocessing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * A disk cache of raw teacher outputs, one fixed-size float32 record per (image, augmentation).
 *
 * <p><b>Layout.</b> A cache lives in {@code <root>/<teacherSha>-<preprocessingHash>/}, so a different teacher
 * or different preprocessing never shares records. The folder holds
 * <ul>
 *   <li>{@code outputs.f32}: records of {@code outputSize} float32 little-endian values, appended;</li>
 *   <li>{@code index.bin}: one {@value #ENTRY_BYTES}-byte entry per record, in record order: 32 bytes of
 *       image SHA-256, the augmentation id (int32 LE) and a CRC-32 of those 36 bytes (int32 LE). Entry
 *       <i>i</i> describes record <i>i</i>;</li>
 *   <li>{@code cache.properties}: the output size, checked on open.</li>
 * </ul>
 *
 * <p><b>Crash safety.</b> {@link #putAll} (or {@link #append} then {@link #commit}) writes the records, forces
 * the data file, and only then appends the index entries (not forced at each commit: an entry lost to a power
 * cut only means its record is computed again; {@link #close()} forces it). On open, the index is read up to
 * its first incomplete or corrupt entry (CRC-32), capped at the number of complete data records; both files are
 * then truncated to that many records. So a kill at any moment loses at most the uncommitted records and never
 * corrupts earlier ones.
 *
 * <p><b>Thread-safety:</b> the methods are synchronized. A folder is open in at most one instance at a time
 * (an exclusive file lock, across processes too); a second {@link #open} fails until the first is closed.
 */
public final class TeacherOutputCache implements AutoCloseable {
    /** Bytes per index entry: image hash (32), augmentation id (4), CRC-32 (4). */
    public static final int ENTRY_BYTES = 40;

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern SAFE_NAME = Pattern.compile("[0-9A-Za-z]{1,128}");

    private record Key(String imageSha, int augId) {
    }

    private final Path folder;
    private final int outputSize;
    private final int recordBytes;
    private final FileChannel data;
    private final FileChannel index;
    private final Map<Key, Integer> records = new HashMap<>();
    /** Keys appended to the data file whose index entries are not written yet, in record order. */
    private final List<Key> staged = new ArrayList<>();
    /** Index entries on disk. */
    private int committed;
    private boolean closed;

    private final FileChannel lock;

    private TeacherOutputCache(Path folder, int outputSize, FileChannel lock, FileChannel data, FileChannel index) {
        this.folder = folder;
        this.lock = lock;
        this.outputSize = outputSize;
        this.recordBytes = outputSize * Float.BYTES;
        this.data = data;
        this.index = index;
    }

    /**
     * Opens (creating if needed) the cache of one teacher under one preprocessing.
     *
     * @param root        folder holding all teacher-output caches, e.g. {@code <data>/cache/teacher-outputs}
     * @param teacherSha  the teacher file's SHA-256 (hex; letters and digits only)
     * @param p           the preprocessing the outputs were computed with
     * @param outputSize  floats per record (the teacher's per-image output size), ≥ 1
     * @throws IllegalArgumentException when the cache exists with another output size
     * @throws UncheckedIOException     when the files cannot be created or read
     */
    public static TeacherOutputCache open(Path root, String teacherSha, Preprocessing p, int outputSize) {
        if (outputSize < 1) {
            throw new IllegalArgumentException("outputSize must be at least 1, got " + outputSize);
        }
        if (teacherSha == null || !SAFE_NAME.matcher(teacherSha).matches()) {
            throw new IllegalArgumentException("The teacher hash must be 1–128 letters or digits, got '"
                    + teacherSha + "'");
        }
        Path folder = root.resolve(teacherSha.toLowerCase() + "-" + preprocessingHash(p));
        FileChannel lock = null;
        FileChannel data = null;
        FileChannel index = null;
        try {
            Files.createDirectories(folder);
            lock = FileChannel.open(folder.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (!tryLock(lock)) {
                throw new IllegalStateException("The teacher-output cache " + folder
                        + " is in use by another labelling run; wait for it to finish");
            }
            checkOutputSize(folder.resolve("cache.properties"), outputSize);
            data = FileChannel.open(folder.resolve("outputs.f32"), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            index = FileChannel.open(folder.resolve("index.bin"), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            TeacherOutputCache cache = new TeacherOutputCache(folder, outputSize, lock, data, index);
            cache.recover();
            return cache;
        } catch (IOException e) {
            closeQuietly(data);
            closeQuietly(index);
            closeQuietly(lock);
            throw new UncheckedIOException("Cannot open the teacher-output cache " + folder + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(data);
            closeQuietly(index);
            closeQuietly(lock);
            throw e;
        }
    }

    /** One writer per folder: an exclusive lock, held until {@link #close()}, also across processes. */
    private static boolean tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock() != null;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return false; // held by this JVM
        }
    }

    /**
     * A stable 16-hex-digit hash of everything in {@code p} that changes the model input. The fixed batch size
     * is left out: it changes how images are grouped, not their values.
     */
    public static String preprocessingHash(Preprocessing p) {
        StringBuilder sb = new StringBuilder("pre-v1");
        sb.append('|').append(p.width()).append('|').append(p.height())
                .append('|').append(p.layout()).append('|').append(p.channelOrder())
                .append('|').append(bits(p.scale()));
        for (double m : p.mean()) {
            sb.append('|').append(bits(m));
        }
        for (double s : p.std()) {
            sb.append('|').append(bits(s));
        }
        String type = p.elementType() == null || p.elementType().isBlank() ? "float"
                : p.elementType().toLowerCase().replace("float32", "float");
        sb.append('|').append(p.resize()).append('|').append(bits(p.cropFraction()))
                .append('|').append(p.padValue()).append('|').append(type);
        return HexFormat.of().formatHex(sha256(sb.toString().getBytes(StandardCharsets.UTF_8)), 0, 8);
    }

    private static String bits(double v) {
        return Long.toHexString(Double.doubleToLongBits(v == 0.0 ? 0.0 : v)); // -0.0 and 0.0 alike
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void checkOutputSize(Path meta, int outputSize) throws IOException {
        String line = "outputSize=" + outputSize;
        if (Files.exists(meta)) {
            String existing = Files.readString(meta, StandardCharsets.UTF_8).trim();
            if (!existing.equals(line)) {
                throw new IllegalArgumentException("The teacher-output cache " + meta.getParent() + " holds records of "
                        + existing.replace("outputSize=", "") + " floats, not " + outputSize
                        + ": the teacher's output changed; delete the folder to rebuild the cache");
            }
        } else {
            Path tmp = meta.resolveSibling("cache.properties.tmp");
            Files.writeString(tmp, line + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, meta, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Loads the index, dropping a torn or corrupt tail and data records without an index entry. */
    private void recover() throws IOException {
        long completeRecords = data.size() / recordBytes;
        long entries = index.size() / ENTRY_BYTES;
        ByteBuffer buf = ByteBuffer.allocate(ENTRY_BYTES * 1024).order(ByteOrder.LITTLE_ENDIAN);
        long pos = 0;
        int valid = 0;
        byte[] hash = new byte[32];
        reading:
        while (valid < Math.min(entries, completeRecords)) {
            buf.clear();
            long want = Math.min(entries - valid, buf.capacity() / ENTRY_BYTES) * ENTRY_BYTES;
            buf.limit((int) want);
            while (buf.hasRemaining()) {
                if (index.read(buf, pos + buf.position()) < 0) {
                    break;
                }
            }
            buf.flip();
            pos += buf.limit();
            while (buf.remaining() >= ENTRY_BYTES && valid < completeRecords) {
                int start = buf.position();
                CRC32 crc = new CRC32();
                crc.update(buf.array(), start, ENTRY_BYTES - 4);
                buf.get(hash);
                int aug = buf.getInt();
                int stored = buf.getInt();
                if (stored != (int) crc.getValue()) {
                    break reading;
                }
                records.putIfAbsent(new Key(HexFormat.of().formatHex(hash), aug), valid);
                valid++;
            }
            if (buf.limit() == 0) {
                break;
            }
        }
        if (index.size() != (long) valid * ENTRY_BYTES) {
            index.truncate((long) valid * ENTRY_BYTES);
        }
        if (data.size() != (long) valid * recordBytes) {
            data.truncate((long) valid * recordBytes);
        }
        committed = valid;
    }

    /** The cache folder. */
    public Path folder() {
        return folder;
    }

    /** Floats per record. */
    public int outputSize() {
        return outputSize;
    }

    /** Number of cached records. */
    public synchronized int size() {
        return records.size();
    }

    /** True when the output for this image and augmentation is cached. */
    public synchronized boolean contains(String imageSha, int augId) {
        return records.containsKey(key(imageSha, augId));
    }

    /** The cached output for this image and augmentation (a fresh array), or empty. */
    public synchronized Optional<float[]> get(String imageSha, int augId) {
        ensureOpen();
        Integer record = records.get(key(imageSha, augId));
        if (record == null) {
            return Optional.empty();
        }
        ByteBuffer buf = ByteBuffer.allocate(recordBytes).order(ByteOrder.LITTLE_ENDIAN);
        long pos = (long) record * recordBytes;
        try {
            while (buf.hasRemaining()) {
                if (data.read(buf, pos + buf.position()) < 0) {
                    throw new IOException("unexpected end of file at record " + record);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the teacher-output cache " + folder + ": " + e.getMessage(), e);
        }
        buf.flip();
        float[] out = new float[outputSize];
        buf.asFloatBuffer().get(out);
        return Optional.of(out);
    }

    /**
     * Stores one output durably; see {@link #putAll}.
     *
     * @return true when stored, false when this image and augmentation were already cached (nothing written)
     */
    public boolean put(String imageSha, int augId, float[] output) {
        return putAll(List.of(new Entry(imageSha, augId, output))) == 1;
    }

    /** One record to store: an image's SHA-256 (hex), an augmentation id (0 for none) and its output. */
    public record Entry(String imageSha, int augId, float[] output) {
    }

    /**
     * Stores several outputs durably with one fsync: {@link #append} then {@link #commit}.
     *
     * @return how many records were written (entries already cached, or repeated in the list, are skipped)
     * @throws IllegalArgumentException when an output does not have {@link #outputSize()} values or a hash
     *                                  is not 64 hex digits
     */
    public synchronized int putAll(List<Entry> entries) {
        int n = append(entries);
        commit();
        return n;
    }

    /**
     * Writes the records of several outputs and stages their index entries, without an fsync. They are visible
     * to {@link #get} and {@link #contains} at once, but survive a crash only after {@link #commit()} (or
     * {@link #close()}); until then a crash loses them, and they are simply computed again. This lets a caller
     * pay for one fsync per commit interval instead of one per batch.
     *
     * @return how many records were written (entries already cached, or repeated in the list, are skipped)
     * @throws IllegalArgumentException when an output does not have {@link #outputSize()} values or a hash
     *                                  is not 64 hex digits
     */
    public synchronized int append(List<Entry> entries) {
        ensureOpen();
        Map<Key, float[]> fresh = new LinkedHashMap<>();
        for (Entry e : entries) {
            Key k = key(e.imageSha(), e.augId());
            if (e.output() == null || e.output().length != outputSize) {
                throw new IllegalArgumentException("The output for image " + e.imageSha() + " has "
                        + (e.output() == null ? "no" : Integer.toString(e.output().length))
                        + " values; this cache stores " + outputSize);
            }
            if (!records.containsKey(k)) {
                fresh.putIfAbsent(k, e.output());
            }
        }
        if (fresh.isEmpty()) {
            return 0;
        }
        int first = committed + staged.size(); // records in the data file, whatever the keys
        ByteBuffer recs = ByteBuffer.allocate(fresh.size() * recordBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] v : fresh.values()) {
            recs.asFloatBuffer().put(v);
            recs.position(recs.position() + recordBytes);
        }
        recs.flip();
        try {
            writeFully(data, recs, (long) first * recordBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to the teacher-output cache " + folder + ": "
                    + e.getMessage(), e);
        }
        int n = first;
        for (Key k : fresh.keySet()) {
            records.put(k, n++);
            staged.add(k);
        }
        return fresh.size();
    }

    /**
     * Makes every appended record durable: forces the data file, then appends the staged index entries. An index
     * entry therefore never points at a record that is not on disk. Does nothing when nothing is staged.
     */
    public synchronized void commit() {
        ensureOpen();
        if (staged.isEmpty()) {
            return;
        }
        ByteBuffer idx = ByteBuffer.allocate(staged.size() * ENTRY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Key k : staged) {
            int start = idx.position();
            idx.put(HexFormat.of().parseHex(k.imageSha())).putInt(k.augId());
            CRC32 crc = new CRC32();
            crc.update(idx.array(), start, ENTRY_BYTES - 4);
            idx.putInt((int) crc.getValue());
        }
        idx.flip();
        try {
            data.force(false);
            writeFully(index, idx, (long) committed * ENTRY_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to the teacher-output cache " + folder + ": "
                    + e.getMessage(), e);
        }
        committed += staged.size();
        staged.clear();
    }

    /** Records appended but not yet {@linkplain #commit() committed}. */
    public synchronized int uncommitted() {
        return staged.size();
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf, pos + buf.position());
        }
    }

    private static Key key(String imageSha, int augId) {
        if (imageSha == null || !SHA256_HEX.matcher(imageSha).matches()) {
            throw new IllegalArgumentException("An image hash must be 64 hex digits (SHA-256), got '" + imageSha + "'");
        }
        return new Key(imageSha.toLowerCase(), augId);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The teacher-output cache " + folder + " is closed");
        }
    }

    /** Commits staged records, forces the index and closes the files; records already stored stay on disk. */
    @Override
    public synchronized void close() {
        if (!closed) {
            try {
                commit();
                index.force(false);
            } catch (IOException | UncheckedIOException e) {
                // Staged records are lost and will be computed again; earlier ones are intact.
                java.util.logging.Logger.getLogger(TeacherOutputCache.class.getName())
                        .warning("Could not commit the teacher-output cache " + folder + ": " + e.getMessage());
            }
            closed = true;
            closeQuietly(data);
            closeQuietly(index);
            closeQuietly(lock); // releases the folder lock
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing useful to do on close
            }
        }
    }
}
