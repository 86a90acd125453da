package dev.distillery.vision;

import dev.distillery.core.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sample data that ships inside the app (assets/samples: a short generated clip and generated images with
 * text), so every screen has something to show on a machine with no camera and no files of its own.
 *
 * <p>Samples live in the jar; {@link #install()} copies them to {@code <data>/samples/} the first time a screen
 * asks for them ({@value #CLIP} and {@value #IMAGES}/). A file already there with the right size is left alone,
 * so later calls write nothing; a missing or changed one is copied again. The list of files, their sizes and
 * SHA-256s come from {@value #MANIFEST}, written by {@code assets/samples/make.sh}.
 *
 * <p>Safe to call from several threads (screens install from background tasks).
 */
public final class Samples {
    /** Folder under the data directory. */
    public static final String FOLDER = "samples";
    /** The sample clip, relative to {@link #folder()}. */
    public static final String CLIP = "sample-clip.mp4";
    /** The folder of sample images, relative to {@link #folder()}. */
    public static final String IMAGES = "images";
    /** The list of sample files: lines of "sha256 size path". */
    public static final String MANIFEST = "samples.txt";
    /** Where the samples are on the class path (see pom.xml). */
    static final String RESOURCES = "/dev/distillery/vision/samples/";

    private static final Object LOCK = new Object();

    /** One sample file as the manifest lists it. */
    public record Entry(String sha256, long size, String path) {
    }

    /** What {@link #install()} did: files written now, and files that were already in place. */
    public record Installed(int written, int kept) {
    }

    private final Path folder;

    /** The samples of the data directory at {@code dataRoot}. */
    public Samples(Path dataRoot) {
        this.folder = dataRoot.resolve(FOLDER);
    }

    /** {@code <data>/samples}. */
    public Path folder() {
        return folder;
    }

    /** The sample clip (present after {@link #install()}). */
    public Path clip() {
        return folder.resolve(CLIP);
    }

    /** The folder of sample images (present after {@link #install()}). */
    public Path images() {
        return folder.resolve(IMAGES);
    }

    /** The sample images on disk, sorted by name (empty before {@link #install()}). */
    public List<Path> imageFiles() {
        if (!Files.isDirectory(images())) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(images())) {
            return list.filter(Files::isRegularFile).filter(ImageFolderSource::isImageName).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the sample images in " + images() + ": " + e.getMessage(), e);
        }
    }

    /** True when this build carries the samples (a jar built without assets/samples does not). */
    public static boolean available() {
        return Samples.class.getResource(RESOURCES + MANIFEST) != null;
    }

    /**
     * The sample files this build carries.
     *
     * @throws IllegalStateException when the build has no samples or the list is damaged
     */
    public static List<Entry> manifest() {
        try (InputStream in = Samples.class.getResourceAsStream(RESOURCES + MANIFEST)) {
            if (in == null) {
                throw new IllegalStateException("This build of Distillery carries no sample data ("
                        + RESOURCES + MANIFEST + " is not on the class path)");
            }
            List<Entry> entries = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] parts = l.split("\\s+", 3);
                if (parts.length != 3 || !parts[0].matches("[0-9a-f]{64}") || !parts[1].matches("\\d+")
                        || parts[2].contains("..") || parts[2].startsWith("/")) {
                    throw new IllegalStateException("The sample list " + MANIFEST + " has a bad line: " + l);
                }
                entries.add(new Entry(parts[0], Long.parseLong(parts[1]), parts[2]));
            }
            return List.copyOf(entries);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the sample list: " + e.getMessage(), e);
        }
    }

    /**
     * Copies the samples into {@link #folder()} where they are missing or differ in size; files already in place
     * are not touched.
     *
     * @throws IllegalStateException when the build has no samples or a packaged file does not match its checksum
     * @throws UncheckedIOException  when a file cannot be written
     */
    public Installed install() {
        List<Entry> entries = manifest();
        synchronized (LOCK) {
            int written = 0;
            int kept = 0;
            for (Entry e : entries) {
                Path target = folder.resolve(e.path());
                try {
                    if (Files.isRegularFile(target) && Files.size(target) == e.size()) {
                        kept++;
                        continue;
                    }
                    AtomicFiles.write(target, packaged(e));
                    written++;
                } catch (IOException ex) {
                    throw new UncheckedIOException("Cannot copy the sample " + e.path() + " to " + target + ": "
                            + ex.getMessage(), ex);
                }
            }
            return new Installed(written, kept);
        }
    }

    /** The packaged bytes of a sample, checked against its size and SHA-256. */
    static byte[] packaged(Entry e) throws IOException {
        try (InputStream in = Samples.class.getResourceAsStream(RESOURCES + e.path())) {
            if (in == null) {
                throw new IllegalStateException("The sample " + e.path() + " is listed but not in this build");
            }
            byte[] bytes = in.readAllBytes();
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            if (bytes.length != e.size() || !sha.equals(e.sha256())) {
                throw new IllegalStateException("The packaged sample " + e.path() + " is damaged (size or SHA-256 "
                        + "differs from " + MANIFEST + "); rebuild with assets/samples/make.sh");
            }
            return bytes;
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("This Java runtime has no SHA-256", ex);
        }
    }
}
