package dev.distillery.distill.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Fresh synthetic evaluation data from {@link TextSceneGenerator}, written as PNG (or JPEG) files; the same seed
 * gives the same files.
 *
 * <ul>
 *   <li>{@link Kind#SCENES}: {@code scene-00000.png}, … at size×size, for text-detection (dense) students;</li>
 *   <li>{@link Kind#LINES}: text-line crops ({@value TextSceneGenerator#LINE_WIDTH}×{@value
 *       TextSceneGenerator#LINE_HEIGHT}) in the sub-folders {@code 0} (upright) and {@code 1} (upside down),
 *       alternating so each gets half (the odd one upright), for text-direction students. The folder names are
 *       the class names of a direction classifier without labels, so the folders are ground truth.</li>
 * </ul>
 */
public final class SyntheticData {
    public enum Kind { SCENES, LINES }

    /** Sub-folder of upright lines. */
    public static final String UPRIGHT = "0";
    /** Sub-folder of upside-down lines (named like the direction classifier's class "180"). */
    public static final String UPSIDE_DOWN = "180";

    private SyntheticData() {
    }

    /**
     * Writes {@code count} PNG images into {@code out} (created when missing).
     *
     * @param size scene width and height (ignored for lines)
     * @return the files written, in index order
     * @throws IllegalArgumentException for a negative count or a size under 32
     * @throws UncheckedIOException     when a file cannot be written
     */
    public static List<Path> write(Kind kind, int count, long seed, int size, Path out) {
        return write(kind, count, seed, size, size, "png", out);
    }

    /**
     * Writes {@code count} images into {@code out} (created when missing).
     *
     * @param width  scene width (ignored for lines)
     * @param height scene height (ignored for lines)
     * @param format "png" (lossless) or "jpg" (quality 90, several times smaller for noisy backgrounds)
     * @return the files written, in index order
     * @throws IllegalArgumentException for a negative count, a size under 32 or another format
     * @throws UncheckedIOException     when a file cannot be written
     */
    public static List<Path> write(Kind kind, int count, long seed, int width, int height, String format, Path out) {
        if (count < 0) {
            throw new IllegalArgumentException("The count cannot be negative: " + count);
        }
        String ext = format.toLowerCase(Locale.ROOT);
        if (!ext.equals("png") && !ext.equals("jpg")) {
            throw new IllegalArgumentException("Images are written as png or jpg, not " + format);
        }
        TextSceneGenerator generator = new TextSceneGenerator(seed, width, height);
        List<Path> files = new ArrayList<>(count);
        try {
            Files.createDirectories(out);
            if (kind == Kind.LINES) {
                Files.createDirectories(out.resolve(UPRIGHT));
                Files.createDirectories(out.resolve(UPSIDE_DOWN));
            }
            for (int i = 0; i < count; i++) {
                Path file;
                Mat image;
                if (kind == Kind.SCENES) {
                    file = out.resolve(String.format(Locale.ROOT, "scene-%05d.%s", i, ext));
                    image = generator.scene(i);
                } else {
                    boolean flipped = i % 2 == 1;
                    file = out.resolve(flipped ? UPSIDE_DOWN : UPRIGHT).resolve(String.format(Locale.ROOT,
                            "line-%05d.%s", i, ext));
                    image = generator.line(i, flipped);
                }
                try (image) {
                    Files.write(file, encode(image, ext));
                }
                files.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write generated images to " + out + ": " + e.getMessage(), e);
        }
        return files;
    }

    private static byte[] encode(Mat image, String ext) {
        if (ext.equals("png")) {
            return png(image);
        }
        try (BytePointer buf = new BytePointer();
             IntPointer params = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 90)) {
            if (!opencv_imgcodecs.imencode(".jpg", image, buf, params)) {
                throw new IllegalStateException("OpenCV could not encode an image as JPEG");
            }
            byte[] bytes = new byte[(int) buf.limit()];
            buf.get(bytes);
            return bytes;
        }
    }

    private static byte[] png(Mat image) {
        try (BytePointer buf = new BytePointer()) {
            if (!opencv_imgcodecs.imencode(".png", image, buf)) {
                throw new IllegalStateException("OpenCV could not encode an image as PNG");
            }
            byte[] bytes = new byte[(int) buf.limit()];
            buf.get(bytes);
            return bytes;
        }
    }
}
