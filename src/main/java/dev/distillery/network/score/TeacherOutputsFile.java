package dev.distillery.network.score;

import dev.distillery.distill.compare.StudentComparison;
import dev.distillery.teacher.run.TeacherRunner;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The teacher's outputs on one evaluation set, in a file next to it: the first evaluation of an epoch writes it,
 * the others read it instead of running the teacher again (the outputs are the same for every student). The header
 * names the teacher (path and size) and the input size it was fed; a file that does not match, or is damaged, is
 * ignored and replaced.
 */
final class TeacherOutputsFile implements StudentComparison.TeacherOutputs {
    private static final String MAGIC = "distillery-teacher-outputs 1";

    private final Path file;
    private final Path images;
    private final String key;
    private final Map<String, TeacherRunner.RawOutput> outputs = new LinkedHashMap<>();
    private final boolean loaded;
    private boolean added;

    /** Reads {@code file} if it exists and belongs to this teacher, input size and image folder. */
    TeacherOutputsFile(Path file, Path teacher, Challenge.InputSpec input, Path images) throws IOException {
        this.file = file;
        this.images = images.toAbsolutePath().normalize();
        this.key = teacher.toAbsolutePath().normalize() + "|" + Files.size(teacher) + "|" + input.width() + "x"
                + input.height() + "|" + this.images;
        this.loaded = Files.isRegularFile(file) && read();
    }

    private boolean read() {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (!MAGIC.equals(in.readUTF()) || !key.equals(in.readUTF())) {
                return false;
            }
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                long[] shape = new long[in.readInt()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                }
                int n = in.readInt();
                if (n < 0 || n > 64 << 20) {
                    throw new IOException("implausible output length " + n);
                }
                byte[] b = new byte[n * 4];
                in.readFully(b);
                float[] v = new float[n];
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                outputs.put(name, new TeacherRunner.RawOutput(v, shape));
            }
            return true;
        } catch (IOException | RuntimeException e) { // damaged or from another version: compute again
            outputs.clear();
            return false;
        }
    }

    private String name(Path image) {
        return images.relativize(image.toAbsolutePath().normalize()).toString();
    }

    @Override
    public TeacherRunner.RawOutput get(Path image) {
        return outputs.get(name(image));
    }

    @Override
    public void put(Path image, TeacherRunner.RawOutput output) {
        outputs.put(name(image), output);
        added = true;
    }

    /** Writes the file when this run computed outputs it did not have (atomically: a reader never sees half). */
    void saveIfNew() throws IOException {
        if (!added && loaded) {
            return;
        }
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                    1 << 20))) {
                out.writeUTF(MAGIC);
                out.writeUTF(key);
                out.writeInt(outputs.size());
                for (Map.Entry<String, TeacherRunner.RawOutput> e : outputs.entrySet()) {
                    out.writeUTF(e.getKey());
                    long[] shape = e.getValue().shape();
                    out.writeInt(shape.length);
                    for (long d : shape) {
                        out.writeLong(d);
                    }
                    float[] v = e.getValue().values();
                    out.writeInt(v.length);
                    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(v);
                    out.write(b.array());
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
