package dev.distillery.distill.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillery.model.Preprocessing;
import dev.distillery.model.Preprocessing.ChannelOrder;
import dev.distillery.model.Preprocessing.Layout;
import dev.distillery.model.Preprocessing.ResizeMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk teacher-output cache: records, keys, and recovery from a torn tail. */
class TeacherOutputCacheTest {
    static final String TEACHER = "ab".repeat(32);
    static final Preprocessing PRE = new Preprocessing(32, 32, Layout.NCHW, ChannelOrder.RGB, 1 / 255.0,
            Preprocessing.ZERO, Preprocessing.ONE, ResizeMode.STRETCH, 1, 0, 0, "float");

    @TempDir
    Path root;

    static String sha(int i) {
        byte[] b = new byte[32];
        b[0] = (byte) i;
        b[31] = (byte) (i >> 8);
        b[15] = 0x5a;
        return HexFormat.of().formatHex(b);
    }

    static float[] values(int i, int n) {
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            v[k] = i * 1000 + k + 0.25f * (k % 4) - (k == 0 ? Float.MIN_VALUE : 0);
        }
        return v;
    }

    @Test
    void recordsRoundTripExactlyAcrossReopen() {
        try (TeacherOutputCache c = TeacherOutputCache.open(root, TEACHER, PRE, 5)) {
            assertThat(c.put(sha(1), 0, values(1, 5))).isTrue();
            assertThat(c.put(sha(2), 0, values(2, 5))).isTrue();
            assertThat(c.put(sha(1), 3, values(13, 5))).isTrue();
            assertThat(c.put(sha(1), 0, values(99, 5))).as("an existing key is not overwritten").isFalse();
            float[] special = {Float.NaN, Float.POSITIVE_INFINITY, -0.0f, Float.MAX_VALUE, -1e-30f};
            assertThat(c.put(sha(4), 0, special)).isTrue();
            assertThat(c.size()).isEqualTo(4);
            assertThat(c.get(sha(1), 0)).hasValueSatisfying(v -> assertThat(v).containsExactly(values(1, 5)));
        }
        try (TeacherOutputCache c = TeacherOutputCache.open(root, TEACHER, PRE, 5)) {
            assertThat(c.size()).isEqualTo(4);
            assertThat(c.get(sha(1), 0).orElseThrow()).containsExactly(values(1, 5));
            assertThat(c.get(sha(2), 0).orElseThrow()).containsExactly(values(2, 5));
            assertThat(c.get(sha(1), 3).orElseThrow()).containsExactly(values(13, 5));
            assertThat(c.get(sha(1).toUpperCase(), 3)).as("hex case does not matter").isPresent();
            float[] special = c.get(sha(4), 0).orElseThrow();
            assertThat(Float.isNaN(special[0])).isTrue();
            assertThat(Float.floatToRawIntBits(special[2])).isEqualTo(Float.floatToRawIntBits(-0.0f));
            assertThat(special[3]).isEqualTo(Float.MAX_VALUE);
            assertThat(c.get(sha(2), 1)).isEmpty();
            assertThat(c.contains(sha(3), 0)).isFalse();
            assertThat(c.contains(sha(2), 0)).isTrue();
            assertThat(c.folder().resolve("outputs.f32")).hasSize(4 * 5 * 4);
        }
    }

    @Test
    void dataIsFloat32LittleEndian() throws IOException {
        try (TeacherOutputCache c = TeacherOutputCache.open(root, TEACHER, PRE, 2)) {
            c.put(sha(1), 0, new float[] {1.0f, -2.5f});
            byte[] bytes = Files.readAllBytes(c.folder().resolve("outputs.f32"));
            assertThat(bytes).containsExactly(0, 0, (byte) 0x80, 0x3f, 0, 0, 0x20, (byte) 0xc0);
        }
    }

    @Test
    void differentPreprocessingOrTeacherGetsADifferentCache() {
        Preprocessing bgr = new Preprocessing(32, 32, Layout.NCHW, ChannelOrder.BGR, 1 / 255.0,
                Preprocessing.ZERO, Preprocessing.ONE, ResizeMode.STRETCH, 1, 0, 0, "float");
        Preprocessing otherMean = new Preprocessing(32, 32, Layout.NCHW, ChannelOrder.RGB, 1 / 255.0,
                List.of(0.0, 0.0, 0.001), Preprocessing.ONE, ResizeMode.STRETCH, 1, 0, 0, "float");
        Preprocessing sameButBatch8 = new Preprocessing(32, 32, Layout.NCHW, ChannelOrder.RGB, 1 / 255.0,
                Preprocessing.ZERO, Preprocessing.ONE, ResizeMode.STRETCH, 1, 0, 8, "float32");
        assertThat(TeacherOutputCache.preprocessingHash(PRE))
                .isEqualTo(TeacherOutputCache.preprocessingHash(sameButBatch8))
                .isNotEqualTo(TeacherOutputCache.preprocessingHash(bgr))
                .isNotEqualTo(TeacherOutputCache.preprocessingHash(otherMean))
                .isNotEqualTo(TeacherOutputCache.preprocessingHash(PRE.withSize(32, 33)))
                .hasSize(16);
        try (TeacherOutputCache a = TeacherOutputCache.open(root, TEACHER, PRE, 3)) {
            a.put(sha(1), 0, values(1, 3));
        }
        try (TeacherOutputCache b = TeacherOutputCache.open(root, TEACHER, bgr, 3);
             TeacherOutputCache t = TeacherOutputCache.open(root, "cd".repeat(32), PRE, 3);
             TeacherOutputCache same = TeacherOutputCache.open(root, TEACHER, sameButBatch8, 3)) {
            assertThat(b.contains(sha(1), 0)).isFalse();
            assertThat(t.contains(sha(1), 0)).isFalse();
            assertThat(same.contains(sha(1), 0)).isTrue();
            assertThat(b.folder()).isNotEqualTo(same.folder());
        }
    }

    @Test
    void aTornDataTailIsIgnoredAndEarlierRecordsAreIntact() throws IOException {
        Path folder;
        try (TeacherOutputCache c = TeacherOutputCache.open(root, TEACHER, PRE, 4)) {
            for (int i = 0; i < 3; i++) {
                c.put(sha(i), 0, values(i, 4));
            }
            folder = c.folder();
        }
        // A crash while writing record 3: half its data written, its index entry not yet.
        Files.write(folder.resolve("outputs.f32"), new byte[7], StandardOpenOption.APPEND);
        // And a crash mid-record 2 as seen from the data side: cut record 2 short.
        try (FileChannel ch = FileChannel.open(folder.resolve("outputs.f32"), StandardOpenOption.WRITE)) {
            ch.truncate(2 * 16 + 9);
        }
        try (TeacherOutputCache c = TeacherOutputCache.open(root, TEACHER, PRE, 4)) {
            assertThat(c.size()).isEqualTo(2);
            assertThat(c.get(sha(0), 0).orElseThrow()).containsExactly(values(0, 4));
            assertThat(c.get(sha(1), 0).orElseThrow()).containsExactly(values(1, 4));
            assertThat(c.contains(sha(2), 0)).as("its record was torn").isFalse();
            assertThat(folder.resolve("index.bin")).hasSize(2L * TeacherOutputCache.ENTRY_BYTES);
            // Appending after recovery lands cleanly after the intact records.
            c.put(sha(2), 0, values(22, 4));
            c.put(sha(5), 0, values(5, 4));
        }
        try (TeacherOutputCache c = TeacherOutputCache.open(root, TEACHER, PRE, 4)) {
            assertThat(c.size()).isEqualTo(4);
            assertThat(c.get(sha(2), 0).orElseThrow()).containsExactly(values(22, 4));
            assertThat(c.get(sha(5), 0).orElseThrow()).containsExactly(values(5, 4));
            assertThat(c.get(sha(1), 0).orElseThrow()).containsExactly(values(1, 4));
        }
    }

    @Test
    void aPartialOrCorruptIndexEntryIsIgnored() throws IOException {
        Path folder;
        try (TeacherOutputCache c = TeacherOutputCache.open(root, TEACHER, PRE, 3)) {
            for (int i = 0; i < 3; i++) {
                c.put(sha(i), 0, values(i, 3));
            }
            folder = c.folder();
        }
        Path index = folder.resolve("index.bin");
        // A record whose index entry was only partly written.
        Files.write(folder.resolve("outputs.f32"), new byte[12], StandardOpenOption.APPEND);
        Files.write(index, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, StandardOpenOption.APPEND);
        try (TeacherOutputCache c = TeacherOutputCache.open(root, TEACHER, PRE, 3)) {
            assertThat(c.size()).isEqualTo(3);
            assertThat(c.get(sha(2), 0).orElseThrow()).containsExactly(values(2, 3));
        }
        assertThat(index).hasSize(3L * TeacherOutputCache.ENTRY_BYTES);
        assertThat(folder.resolve("outputs.f32")).hasSize(3L * 12);
        // A full-size but garbage last entry (bytes landed, content did not) fails its checksum.
        try (FileChannel ch = FileChannel.open(index, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0x00}), 2L * TeacherOutputCache.ENTRY_BYTES + 3);
        }
        try (TeacherOutputCache c = TeacherOutputCache.open(root, TEACHER, PRE, 3)) {
            assertThat(c.size()).isEqualTo(2);
            assertThat(c.get(sha(0), 0).orElseThrow()).containsExactly(values(0, 3));
            assertThat(c.get(sha(1), 0).orElseThrow()).containsExactly(values(1, 3));
        }
    }

    @Test
    void appendedButUncommittedRecordsAreDroppedAfterACrash() throws IOException {
        Path crashed = root.resolve("crashed");
        try (TeacherOutputCache c = TeacherOutputCache.open(root.resolve("live"), TEACHER, PRE, 3)) {
            c.putAll(List.of(new TeacherOutputCache.Entry(sha(0), 0, values(0, 3))));
            assertThat(c.append(List.of(new TeacherOutputCache.Entry(sha(1), 0, values(1, 3)),
                    new TeacherOutputCache.Entry(sha(1), 0, values(9, 3))))).as("duplicates skipped").isEqualTo(1);
            assertThat(c.uncommitted()).isEqualTo(1);
            assertThat(c.get(sha(1), 0).orElseThrow()).as("visible before commit").containsExactly(values(1, 3));
            assertThat(c.folder().resolve("index.bin")).hasSize(TeacherOutputCache.ENTRY_BYTES);
            // What a kill right now would leave on disk: the record written, its index entry not.
            Path snapshot = crashed.resolve(c.folder().getFileName());
            Files.createDirectories(snapshot);
            for (String f : List.of("outputs.f32", "index.bin", "cache.properties")) {
                Files.copy(c.folder().resolve(f), snapshot.resolve(f));
            }
            c.commit();
            assertThat(c.uncommitted()).isZero();
            assertThat(c.folder().resolve("index.bin")).hasSize(2L * TeacherOutputCache.ENTRY_BYTES);
        }
        try (TeacherOutputCache c = TeacherOutputCache.open(crashed, TEACHER, PRE, 3)) {
            assertThat(c.size()).isEqualTo(1);
            assertThat(c.contains(sha(1), 0)).isFalse();
            assertThat(c.folder().resolve("outputs.f32")).hasSize(12);
        }
        try (TeacherOutputCache c = TeacherOutputCache.open(root.resolve("live"), TEACHER, PRE, 3)) {
            assertThat(c.size()).isEqualTo(2);
            assertThat(c.get(sha(1), 0).orElseThrow()).containsExactly(values(1, 3));
        }
    }

    @Test
    void clearMessagesForMisuse() {
        try (TeacherOutputCache c = TeacherOutputCache.open(root, TEACHER, PRE, 3)) {
            assertThatThrownBy(() -> c.put(sha(1), 0, new float[2]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 2 values")
                    .hasMessageContaining("stores 3");
            assertThatThrownBy(() -> c.get("not-a-hash", 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hex digits");
        }
        try (TeacherOutputCache c = TeacherOutputCache.open(root, TEACHER, PRE, 3)) {
            assertThatThrownBy(() -> TeacherOutputCache.open(root, TEACHER, PRE, 3))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use by another labelling run");
            assertThat(c.size()).isZero();
        }
        assertThatThrownBy(() -> TeacherOutputCache.open(root, TEACHER, PRE, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("records of 3 floats, not 4");
        assertThatThrownBy(() -> TeacherOutputCache.open(root, "../evil", PRE, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("teacher hash");
    }
}
