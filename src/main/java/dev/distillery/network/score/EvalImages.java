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

    /** Video files a pool may hold besides images: every frame of each is a candidate. */
    static final java.util.Set<String> POOL_VIDEOS = java.util.Set.of(".mp4", ".avi", ".mov", ".mkv", ".webm",
            ".m4v", ".mpg", ".mpeg");
    /** A forward gap (in frames) up to which a video is decoded through rather than sought. */
    private static final int DECODE_THROUGH = 96;

    /** One candidate of a pool: an image ({@code frame} -1) or one frame of a video. */
    private record PoolEntry(Path file, long frame) {
    }

    /** How one drawn frame is seen: fractions for the crop, a mirror, contrast and brightness. */
    private record View(double fw, double fh, double fx, double fy, boolean flip, double contrast, double brightness) {
        static View draw(java.util.Random r) {
            return new View(0.8 + 0.2 * r.nextDouble(), 0.8 + 0.2 * r.nextDouble(), r.nextDouble(), r.nextDouble(),
                    r.nextBoolean(), 0.85 + 0.3 * r.nextDouble(), (r.nextDouble() * 2 - 1) * 0.15 * 255);
        }
    }

    /**
     * Draws a pool's images for one evaluation into {@code dir}, whole or not at all: {@code d.count()} images (the
     * pool's size at most; {@link #DEFAULT_COUNT} when unset) picked at random from the images and video frames
     * under {@code d.folder()} (every frame of a clip is a candidate) with {@code d.seed()}, each seen through a
     * random view (a crop of 80–100 % of each side, a mirror half the time, brightness and contrast ±15 %). The same
     * seed always gives the same files; each epoch's seed gives frames a miner has never seen, even from a pool the
     * miner knows. An unreadable image or frame is replaced by the next one drawn.
     */
    public static void sample(Challenge.EvalData d, Path dir) throws IOException {
        Path pool = Path.of(d.folder());
        if (!Files.isDirectory(pool)) {
            throw new IOException("The evaluation pool " + pool + " is not a folder: give a folder of images or "
                    + "video clips");
        }
        java.util.List<Path> files;
        try (var s = Files.walk(pool)) {
            files = s.filter(Files::isRegularFile).filter(EvalImages::isPoolFile).sorted().toList();
        }
        java.util.List<PoolEntry> entries = new java.util.ArrayList<>();
        for (Path f : files) {
            if (isPoolImage(f)) {
                entries.add(new PoolEntry(f, -1));
            } else {
                long frames = frameCount(f);
                for (long i = 0; i < frames; i++) {
                    entries.add(new PoolEntry(f, i));
                }
            }
        }
        if (entries.isEmpty()) {
            throw new IOException("The evaluation pool " + pool + " has no images (jpg, png, bmp, webp) and no readable "
                    + "video clips (mp4, avi, mov, mkv, webm)");
        }
        java.util.Random r = new java.util.Random(d.seed());
        java.util.List<PoolEntry> order = new java.util.ArrayList<>(entries);
        java.util.Collections.shuffle(order, r);
        int n = Math.min(order.size(), d.count() < 1 ? DEFAULT_COUNT : d.count());
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
        Folders.deleteTree(tmp);
        Files.createDirectories(tmp);
        // the views are drawn in the order of the draw, before any decoding, so that a clip's frames can be decoded
        // in file order and an unreadable frame does not shift the next one's view
        java.util.List<View> views = new java.util.ArrayList<>();
        int written = 0;
        int next = 0;
        while (written < n && next < order.size()) {
            int end = Math.min(order.size(), next + (n - written));
            java.util.Map<Path, java.util.TreeMap<Long, Integer>> clips = new java.util.TreeMap<>();
            for (int i = next; i < end; i++) {
                while (views.size() <= i) {
                    views.add(View.draw(r));
                }
                PoolEntry e = order.get(i);
                if (e.frame() < 0) {
                    try (org.bytedeco.opencv.opencv_core.Mat m = dev.distillery.vision.Images.read(e.file())) {
                        written += writeView(m, views.get(i), tmp, i) ? 1 : 0;
                    } catch (dev.distillery.model.TeacherException unreadable) {
                        // a damaged image in the pool: the next one drawn takes its place
                    }
                } else {
                    clips.computeIfAbsent(e.file(), k -> new java.util.TreeMap<>()).put(e.frame(), i);
                }
            }
            for (var clip : clips.entrySet()) {
                written += writeFrames(clip.getKey(), clip.getValue(), views, tmp);
            }
            next = end;
        }
        if (written == 0) {
            throw new IOException("None of the images in the evaluation pool " + pool + " could be read");
        }
        Folders.deleteTree(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether a pool can draw from this file: an image (jpg, png, bmp) or a video clip. */
    public static boolean isPoolFile(Path p) {
        return isPoolImage(p) || isPoolVideo(p);
    }

    private static boolean isPoolImage(Path p) {
        return dev.distillery.vision.ImageFolderSource.isImageName(p);
    }


    private static boolean isPoolVideo(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && POOL_VIDEOS.contains(n.substring(dot));
    }

    /** Frames of a pool's clip: the container's count, else counted by decoding; 0 for a clip that cannot open. */
    private static long frameCount(Path clip) {
        try (dev.distillery.vision.VideoFileSource v = new dev.distillery.vision.VideoFileSource(clip)) {
            if (v.containerFrameCount() > 0) {
                return v.containerFrameCount();
            }
            long n = 0;
            for (org.bytedeco.opencv.opencv_core.Mat m = v.grab(); m != null; m = v.grab()) {
                m.close();
                n++;
            }
            return n;
        } catch (RuntimeException unreadable) {
            return 0; // a damaged clip contributes nothing; the rest of the pool still serves
        }
    }

    /** Decodes the frames {@code wanted} (frame → draw position) of one clip in order; returns how many were written. */
    private static int writeFrames(Path clip, java.util.TreeMap<Long, Integer> wanted, java.util.List<View> views,
                                   Path out) throws IOException {
        int written = 0;
        try (dev.distillery.vision.VideoFileSource v = new dev.distillery.vision.VideoFileSource(clip)) {
            for (var w : wanted.entrySet()) {
                long frame = w.getKey();
                if (frame < v.position() || frame - v.position() > DECODE_THROUGH) {
                    v.seek(frame);
                }
                org.bytedeco.opencv.opencv_core.Mat m = null;
                while (v.position() <= frame) {
                    if (m != null) {
                        m.close();
                    }
                    m = v.grab();
                    if (m == null) {
                        break;
                    }
                }
                if (m == null) {
                    break; // the clip ended before its announced length: the frames past the end are not there
                }
                try (org.bytedeco.opencv.opencv_core.Mat frameMat = m) {
                    written += writeView(frameMat, views.get(w.getValue()), out, w.getValue()) ? 1 : 0;
                }
            }
        } catch (RuntimeException broken) {
            // a clip that breaks part-way: the frames written so far count, the rest are replaced by the next drawn
        }
        return written;
    }

    private static boolean writeView(org.bytedeco.opencv.opencv_core.Mat m, View view, Path out, int position)
            throws IOException {
        int w = Math.max(1, (int) Math.round(m.cols() * view.fw()));
        int h = Math.max(1, (int) Math.round(m.rows() * view.fh()));
        int x = (int) Math.floor(view.fx() * (m.cols() - w + 1));
        int y = (int) Math.floor(view.fy() * (m.rows() - h + 1));
        try (org.bytedeco.opencv.opencv_core.Rect rect = new org.bytedeco.opencv.opencv_core.Rect(x, y, w, h);
             org.bytedeco.opencv.opencv_core.Mat crop = new org.bytedeco.opencv.opencv_core.Mat(m, rect);
             org.bytedeco.opencv.opencv_core.Mat seen = new org.bytedeco.opencv.opencv_core.Mat()) {
            crop.convertTo(seen, -1, view.contrast(), view.brightness());
            if (view.flip()) {
                org.bytedeco.opencv.global.opencv_core.flip(seen, seen, 1);
            }
            Path file = out.resolve(String.format(java.util.Locale.ROOT, "%05d.jpg", position));
            if (!org.bytedeco.opencv.global.opencv_imgcodecs.imwrite(file.toString(), seen)) {
                throw new IOException("Cannot write " + file);
            }
            return true;
        }
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
