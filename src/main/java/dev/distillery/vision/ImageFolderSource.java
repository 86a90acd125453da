package dev.distillery.vision;

import dev.distillery.model.TeacherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A slideshow of the images in one folder (not its sub-folders): jpg, jpeg, png, bmp and webp files,
 * sorted by file name (case-insensitive, then exact). Images are decoded with {@link Images#read} when
 * grabbed and keep their own size; {@link SourceInfo#width()}/{@code height()} are those of the first
 * readable image.
 *
 * <p>Unreadable or corrupt images are skipped, not fatal: {@link #skippedCount()} and
 * {@link #skippedFiles()} say which. {@link SourceInfo#frameCount()} is the number of image files found
 * (including those that later turn out unreadable), or -1 when looping.
 */
public final class ImageFolderSource implements FrameSource {
    /** File extensions (lower case, without the dot) that are picked up. */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp");

    private final Path folder;
    private final List<Path> files;
    private final boolean loop;
    private final SourceInfo info;
    private final List<Path> skipped = new ArrayList<>();
    private int next;
    private boolean closed;

    /** A non-looping slideshow at a nominal 1 frame/s. */
    public ImageFolderSource(Path folder) {
        this(folder, 1.0, false);
    }

    /**
     * @param folder the folder to show
     * @param fps    nominal frame rate reported in {@link #info()} (the caller paces)
     * @param loop   start again after the last image (endless)
     * @throws SourceException when the folder does not exist, cannot be listed, holds no image files, or
     *                         none of them can be decoded
     */
    public ImageFolderSource(Path folder, double fps, boolean loop) {
        this.folder = folder;
        this.loop = loop;
        if (!Files.isDirectory(folder)) {
            throw new SourceException("Cannot open image folder " + folder + ": "
                    + (Files.exists(folder) ? "it is a file, not a folder" : "the folder does not exist"));
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> list = Files.list(folder)) {
            list.filter(Files::isRegularFile).filter(ImageFolderSource::isImageName).forEach(found::add);
        } catch (IOException | RuntimeException e) {
            throw new SourceException("Cannot list image folder " + folder + ": " + e.getMessage(), e);
        }
        found.sort((a, b) -> {
            String x = a.getFileName().toString();
            String y = b.getFileName().toString();
            int c = x.compareToIgnoreCase(y);
            return c != 0 ? c : x.compareTo(y);
        });
        if (found.isEmpty()) {
            throw new SourceException("The image folder " + folder + " contains no images (looked for "
                    + String.join(", ", EXTENSIONS.stream().sorted().toList()) + " files)");
        }
        this.files = List.copyOf(found);
        int width = 0;
        int height = 0;
        for (int i = 0; i < files.size() && width == 0; i++) {
            try (Mat first = Images.read(files.get(i))) {
                width = first.cols();
                height = first.rows();
            } catch (TeacherException e) {
                // counted when grab() reaches it
            }
        }
        if (width == 0) {
            throw new SourceException("None of the " + files.size() + " image files in " + folder
                    + " can be decoded (corrupt or unsupported)");
        }
        this.info = new SourceInfo(folder.getFileName() == null ? folder.toString() : folder.getFileName().toString(),
                width, height, fps, loop ? -1 : files.size(), false, true);
    }

    /** True for file names ending in one of {@link #EXTENSIONS}. */
    public static boolean isImageName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    @Override
    public SourceInfo info() {
        return info;
    }

    /** The image files in slideshow order. */
    public List<Path> files() {
        return files;
    }

    /** Number of distinct files skipped so far because they could not be decoded. */
    public int skippedCount() {
        return skipped.size();
    }

    /** The files skipped so far, in the order they were met. */
    public List<Path> skippedFiles() {
        return Collections.unmodifiableList(skipped);
    }

    /** Returns the next readable image, skipping (and counting) unreadable ones; null at the end. */
    @Override
    public Mat grab() {
        if (closed) {
            throw new IllegalStateException("The image folder source " + folder + " is closed");
        }
        int attempts = 0;
        while (attempts < files.size()) {
            if (next >= files.size()) {
                if (!loop) {
                    return null;
                }
                next = 0;
            }
            Path file = files.get(next++);
            attempts++;
            try {
                return Images.read(file);
            } catch (TeacherException e) {
                if (!skipped.contains(file)) {
                    skipped.add(file);
                }
            }
        }
        if (loop) {
            throw new SourceException("No image in " + folder + " can be decoded any more");
        }
        return null;
    }

    /** The next {@link #grab()} returns image {@code frameIndex} (or the next readable one after it). */
    @Override
    public void seek(long frameIndex) {
        if (frameIndex < 0 || frameIndex >= files.size()) {
            throw new IllegalArgumentException("Image " + frameIndex + " is outside " + folder + " (0.."
                    + (files.size() - 1) + ")");
        }
        next = (int) frameIndex;
    }

    @Override
    public void close() {
        closed = true;
    }
}
