package dev.distillery.network.score;

import dev.distillery.core.Folders;
import dev.distillery.distill.data.SyntheticData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The images a challenge is evaluated on: its folder, or freshly generated scenes/lines at the input size. */
public final class EvalImages {
    /** Generated images when a challenge names no count. */
    public static final int DEFAULT_COUNT = 200;

    private EvalImages() {
    }

    /**
     * The folder to evaluate {@code c} on: the challenge's own folder, or {@code count} (null: the challenge's count)
     * generated images with the challenge's seed, written into {@code scratch/images}.
     */
    public static Path prepare(Challenge c, Path scratch, Integer count) throws IOException {
        Challenge.EvalData d = c.data();
        if (d != null && d.isPool()) {
            Path dir = scratch.resolve("images");
            sample(count == null ? d : new Challenge.EvalData(d.kind(), count, d.seed(), d.folder()), dir);
            return dir;
        }
        if (d != null && !d.isGenerated()) {
            return Path.of(d.folder());
        }
        Challenge.EvalData g = d == null ? Challenge.EvalData.generated("scenes", 0, 0) : d;
        Path dir = scratch.resolve("images");
        generate(count == null ? g : Challenge.EvalData.generated(g.kind(), count, g.seed()), c.input().width(), dir);
        return dir;
    }

    /**
     * Draws a pool's images for one evaluation into {@code dir}, whole or not at all: {@code d.count()} images (the
     * pool's size at most; {@link #DEFAULT_COUNT} when unset) picked at random from the images under
     * {@code d.folder()} with {@code d.seed()}, each seen through a random view (a crop of 80–100 % of each side,
     * a mirror half the time, brightness and contrast ±15 %). The same seed always gives the same files; each epoch's
     * seed gives frames a miner has never seen, even from a pool the miner knows.
     */
    public static void sample(Challenge.EvalData d, Path dir) throws IOException {
        Path pool = Path.of(d.folder());
        java.util.List<Path> files;
        try (var s = Files.walk(pool)) {
            files = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
                return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".bmp");
            }).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("The evaluation pool " + pool + " has no images (jpg, png, bmp)");
        }
        java.util.Random r = new java.util.Random(d.seed());
        java.util.List<Path> order = new java.util.ArrayList<>(files);
        java.util.Collections.shuffle(order, r);
        int n = Math.min(order.size(), d.count() < 1 ? DEFAULT_COUNT : d.count());
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
        Folders.deleteTree(tmp);
        Files.createDirectories(tmp);
        int written = 0;
        for (int i = 0; i < order.size() && written < n; i++) {
            try (org.bytedeco.opencv.opencv_core.Mat m = dev.distillery.vision.Images.read(order.get(i))) {
                double fw = 0.8 + 0.2 * r.nextDouble();
                double fh = 0.8 + 0.2 * r.nextDouble();
                int w = Math.max(1, (int) Math.round(m.cols() * fw));
                int h = Math.max(1, (int) Math.round(m.rows() * fh));
                int x = r.nextInt(m.cols() - w + 1);
                int y = r.nextInt(m.rows() - h + 1);
                boolean flip = r.nextBoolean();
                double contrast = 0.85 + 0.3 * r.nextDouble();
                double brightness = (r.nextDouble() * 2 - 1) * 0.15 * 255;
                try (org.bytedeco.opencv.opencv_core.Rect rect = new org.bytedeco.opencv.opencv_core.Rect(x, y, w, h);
                     org.bytedeco.opencv.opencv_core.Mat crop = new org.bytedeco.opencv.opencv_core.Mat(m, rect);
                     org.bytedeco.opencv.opencv_core.Mat view = new org.bytedeco.opencv.opencv_core.Mat()) {
                    crop.convertTo(view, -1, contrast, brightness);
                    if (flip) {
                        org.bytedeco.opencv.global.opencv_core.flip(view, view, 1);
                    }
                    String name = String.format(java.util.Locale.ROOT, "%04d.jpg", written);
                    if (!org.bytedeco.opencv.global.opencv_imgcodecs.imwrite(tmp.resolve(name).toString(), view)) {
                        throw new IOException("Cannot write " + tmp.resolve(name));
                    }
                    written++;
                }
            } catch (dev.distillery.model.TeacherException unreadable) {
                // a damaged frame in the pool: the next one takes its place
            }
        }
        if (written == 0) {
            throw new IOException("None of the images in the evaluation pool " + pool + " could be read");
        }
        Folders.deleteTree(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Writes the images {@code d} describes (kind "lines" or scenes, its count — {@link #DEFAULT_COUNT} when unset —
     * and seed) at {@code width} into {@code dir}, whole or not at all: they are written beside it, then renamed.
     */
    public static void generate(Challenge.EvalData d, int width, Path dir) throws IOException {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
        Folders.deleteTree(tmp);
        SyntheticData.write("lines".equalsIgnoreCase(d.kind()) ? SyntheticData.Kind.LINES : SyntheticData.Kind.SCENES,
                d.count() < 1 ? DEFAULT_COUNT : d.count(), d.seed(), width, tmp);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    }
}
