package dev.distillery.distill.data;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_COMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_COMPLEX_SMALL;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_DUPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_PLAIN;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SCRIPT_COMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SCRIPT_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_TRIPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_ITALIC;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;

import dev.distillery.model.TeacherException;
import dev.distillery.vision.Images;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Synthetic training images for the built-in text teachers (detection, recognition, text direction): words
 * from a built-in list drawn with OpenCV's Hershey fonts, at random sizes, colours and small rotations, on
 * gradients, smooth noise, random shapes or (optionally) crops of the user's own pictures.
 *
 * <p>Everything depends only on the seed and the index: {@code scene(i)} is the same image on every call and
 * every machine (no OpenCV global random state is used). Returned {@link Mat}s are 8-bit BGR and owned by the
 * caller.
 */
public final class TextSceneGenerator {
    /** Height of a {@linkplain #line text-line crop}. */
    public static final int LINE_HEIGHT = 48;
    /** Width of a {@linkplain #line text-line crop}. */
    public static final int LINE_WIDTH = 192;

    private static final int[] FONTS = {FONT_HERSHEY_SIMPLEX, FONT_HERSHEY_PLAIN, FONT_HERSHEY_DUPLEX,
        FONT_HERSHEY_COMPLEX, FONT_HERSHEY_TRIPLEX, FONT_HERSHEY_COMPLEX_SMALL, FONT_HERSHEY_SCRIPT_SIMPLEX,
        FONT_HERSHEY_SCRIPT_COMPLEX};

    private static final List<String> WORDS = List.of(
            "open", "exit", "stop", "push", "pull", "sale", "menu", "cafe", "hotel", "taxi", "bus", "train",
            "station", "street", "road", "avenue", "north", "south", "east", "west", "entrance", "parking",
            "welcome", "closed", "danger", "caution", "private", "office", "market", "bakery", "pharmacy",
            "library", "museum", "garden", "river", "bridge", "school", "police", "fire", "hospital", "airport",
            "coffee", "pizza", "bread", "fresh", "fruit", "price", "total", "ticket", "gate", "platform", "floor",
            "room", "level", "speed", "limit", "slow", "yield", "one", "way", "left", "right", "ahead", "help",
            "info", "news", "today", "monday", "friday", "sunday", "july", "2024", "12:30", "50%", "no.7",
            "EXIT", "STOP", "OPEN", "SALE", "Hello", "World", "Distillery", "Student", "Teacher", "Model",
            "Vision", "Camera", "Label", "Data", "Text", "Sign", "Door", "Water", "Light", "Power", "Green",
            "Blue", "Red", "Apple", "Orange", "Lemon", "Tea", "Milk", "Book", "Page", "Chapter", "Note");

    private final long seed;
    private final int width;
    private final int height;
    private final List<Path> backgrounds;

    /** A generator of 320×320 scenes. */
    public TextSceneGenerator(long seed) {
        this(seed, 320, 320);
    }

    /**
     * @param seed   fixes every image this generator makes
     * @param width  scene width in pixels (at least 32)
     * @param height scene height in pixels (at least 32)
     */
    public TextSceneGenerator(long seed, int width, int height) {
        this(seed, width, height, List.of());
    }

    private TextSceneGenerator(long seed, int width, int height, List<Path> backgrounds) {
        if (width < 32 || height < 32) {
            throw new IllegalArgumentException("Scenes must be at least 32×32 pixels: " + width + "×" + height);
        }
        this.seed = seed;
        this.width = width;
        this.height = height;
        this.backgrounds = backgrounds;
    }

    /**
     * The same generator that also uses crops of the images in {@code folder} (searched recursively) as
     * backgrounds, for about a third of the scenes. Unreadable images fall back to a generated background.
     *
     * @throws IllegalArgumentException when the folder does not exist
     * @throws UncheckedIOException     when it cannot be listed
     */
    public TextSceneGenerator withBackgrounds(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("Cannot use " + folder + " for backgrounds: it is not a folder");
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            List<Path> found = walk.filter(Files::isRegularFile).filter(DatasetBuilder::isImageName).sorted().toList();
            return new TextSceneGenerator(seed, width, height, found);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list background images in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The built-in word list. */
    public static List<String> words() {
        return WORDS;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Scene {@code index}: a background with 1–5 words. */
    public Mat scene(long index) {
        return render(index, true);
    }

    /** Scene {@code index} without its words (the same background pixels). */
    Mat background(long index) {
        return render(index, false);
    }

    private SplittableRandom random(long index, long stream) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (index + stream * 0x632BE59BD9B4E019L));
    }

    private Mat render(long index, boolean withText) {
        SplittableRandom r = random(index, 1);
        Mat scene = background(r, width, height);
        if (withText) {
            int words = 1 + r.nextInt(5);
            List<int[]> placed = new ArrayList<>();
            for (int i = 0; i < words; i++) {
                drawWord(scene, r, placed);
            }
        }
        return scene;
    }

    private Mat background(SplittableRandom r, int w, int h) {
        int kind = r.nextInt(backgrounds.isEmpty() ? 3 : 4);
        Mat m = switch (kind) {
            case 0 -> gradient(r, w, h);
            case 1 -> smoothNoise(r, w, h);
            case 2 -> shapes(r, w, h);
            default -> userImage(r, w, h);
        };
        return m;
    }

    private static Scalar randomColour(SplittableRandom r) {
        return new Scalar(r.nextInt(256), r.nextInt(256), r.nextInt(256), 0);
    }

    private static Mat gradient(SplittableRandom r, int w, int h) {
        Mat m = new Mat(h, w, CV_8UC3);
        double[] a = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
        double[] b = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
        double angle = r.nextDouble() * Math.PI * 2;
        double dx = Math.cos(angle);
        double dy = Math.sin(angle);
        double span = Math.abs(dx) * w + Math.abs(dy) * h;
        double origin = Math.min(0, dx * w) + Math.min(0, dy * h);
        try (UByteIndexer px = m.createIndexer()) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double t = (dx * x + dy * y - origin) / span;
                    for (int c = 0; c < 3; c++) {
                        px.put(y, x, c, (int) Math.round(a[c] + (b[c] - a[c]) * t));
                    }
                }
            }
        }
        return m;
    }

    private static Mat smoothNoise(SplittableRandom r, int w, int h) {
        int cells = 4 + r.nextInt(28);
        int sw = Math.max(2, w / cells);
        int sh = Math.max(2, h / cells);
        Mat m = new Mat();
        try (Mat small = new Mat(sh, sw, CV_8UC3); Size size = new Size(w, h)) {
            try (UByteIndexer px = small.createIndexer()) {
                int base = r.nextInt(256);
                int spread = 30 + r.nextInt(120);
                for (int y = 0; y < sh; y++) {
                    for (int x = 0; x < sw; x++) {
                        for (int c = 0; c < 3; c++) {
                            px.put(y, x, c, clamp(base + r.nextInt(-spread, spread + 1)));
                        }
                    }
                }
            }
            opencv_imgproc.resize(small, m, size, 0, 0, INTER_LINEAR);
        }
        return m;
    }

    private static Mat shapes(SplittableRandom r, int w, int h) {
        Mat m = new Mat(h, w, CV_8UC3, randomColour(r));
        int n = 3 + r.nextInt(10);
        for (int i = 0; i < n; i++) {
            try (Scalar colour = randomColour(r);
                 Point p = new Point(r.nextInt(w), r.nextInt(h));
                 Point q = new Point(r.nextInt(w), r.nextInt(h))) {
                int thickness = r.nextBoolean() ? -1 : 1 + r.nextInt(4);
                switch (r.nextInt(3)) {
                    case 0 -> opencv_imgproc.rectangle(m, p, q, colour, thickness, LINE_8, 0);
                    case 1 -> opencv_imgproc.circle(m, p, 4 + r.nextInt(Math.max(5, Math.min(w, h) / 3)), colour,
                            thickness, LINE_AA, 0);
                    default -> opencv_imgproc.line(m, p, q, colour, Math.max(1, thickness), LINE_AA, 0);
                }
            }
        }
        return m;
    }

    private Mat userImage(SplittableRandom r, int w, int h) {
        Path file = backgrounds.get(r.nextInt(backgrounds.size()));
        Mat image;
        try {
            image = Images.read(file);
        } catch (TeacherException e) {
            return gradient(r, w, h);
        }
        try (image) {
            double scale = Math.max((double) w / image.cols(), (double) h / image.rows()) * (1 + r.nextDouble());
            int sw = Math.max(w, (int) Math.ceil(image.cols() * scale));
            int sh = Math.max(h, (int) Math.ceil(image.rows() * scale));
            try (Mat scaled = new Mat(); Size size = new Size(sw, sh)) {
                opencv_imgproc.resize(image, scaled, size, 0, 0, scale < 1 ? INTER_AREA : INTER_LINEAR);
                try (Rect crop = new Rect(r.nextInt(sw - w + 1), r.nextInt(sh - h + 1), w, h);
                     Mat view = scaled.apply(crop)) {
                    return view.clone();
                }
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** A text colour that stands out from the mean of {@code region}. */
    private static Scalar contrastingColour(SplittableRandom r, Mat region) {
        Scalar mean = opencv_core.mean(region);
        double luma = 0.114 * mean.get(0) + 0.587 * mean.get(1) + 0.299 * mean.get(2);
        mean.close();
        int lo = luma > 128 ? 0 : 170;
        return new Scalar(lo + r.nextInt(86), lo + r.nextInt(86), lo + r.nextInt(86), 0);
    }

    /** Draws one word where it does not overlap the boxes in {@code placed} (skipped when no place is found). */
    private void drawWord(Mat scene, SplittableRandom r, List<int[]> placed) {
        String word = WORDS.get(r.nextInt(WORDS.size()));
        int font = FONTS[r.nextInt(FONTS.length)] | (r.nextInt(5) == 0 ? FONT_ITALIC : 0);
        int thickness = 1 + r.nextInt(3);
        double targetHeight = height * (0.06 + r.nextDouble() * 0.14);
        double scale;
        int textW;
        int textH;
        try (IntPointer baseline = new IntPointer(1);
             Size unit = opencv_imgproc.getTextSize(word, font, 1.0, thickness, baseline)) {
            scale = targetHeight / Math.max(1, unit.height());
            // keep the word inside the scene's width
            scale = Math.min(scale, width * 0.9 / Math.max(1, unit.width()));
            textW = (int) Math.ceil(unit.width() * scale);
            textH = (int) Math.ceil((unit.height() + baseline.get()) * scale);
        }
        int x = 0;
        int baseY = 0;
        boolean free = false;
        for (int attempt = 0; attempt < 8 && !free; attempt++) {
            x = r.nextInt(Math.max(1, width - textW));
            baseY = Math.min(height - 2, (int) Math.round(targetHeight) + r.nextInt(Math.max(1, height - textH - 2)));
            int[] box = {x, baseY - textH, x + textW, baseY};
            free = placed.stream().noneMatch(b -> overlaps(b, box, textH / 3));
        }
        if (!free) {
            return;
        }
        placed.add(new int[] {x, baseY - textH, x + textW, baseY});
        double angle = r.nextDouble(-12, 12);
        try (Mat mask = new Mat(height, width, CV_8UC1, Scalar.all(0));
             Point org = new Point(x, baseY);
             Scalar white = Scalar.all(255)) {
            opencv_imgproc.putText(mask, word, org, font, scale, white, thickness, LINE_AA, false);
            try (Point2f centre = new Point2f(x + textW / 2f, baseY - textH / 2f);
                 Mat rotation = opencv_imgproc.getRotationMatrix2D(centre, angle, 1.0);
                 Mat rotated = new Mat();
                 Size size = new Size(width, height)) {
                opencv_imgproc.warpAffine(mask, rotated, rotation, size);
                Rect box = clampRect(x, baseY - textH, textW, textH);
                Scalar colour;
                try (Mat region = scene.apply(box)) {
                    colour = contrastingColour(r, region);
                }
                try (colour; Mat ink = new Mat(height, width, CV_8UC3, colour)) {
                    ink.copyTo(scene, rotated);
                }
                box.close();
            }
        }
    }

    private static boolean overlaps(int[] a, int[] b, int margin) {
        return a[0] < b[2] + margin && b[0] < a[2] + margin && a[1] < b[3] + margin && b[1] < a[3] + margin;
    }

    private Rect clampRect(int x, int y, int w, int h) {
        int x0 = Math.max(0, Math.min(width - 1, x));
        int y0 = Math.max(0, Math.min(height - 1, y));
        int x1 = Math.max(x0 + 1, Math.min(width, x + w));
        int y1 = Math.max(y0 + 1, Math.min(height, y + h));
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    /**
     * A {@value #LINE_HEIGHT}×{@value #LINE_WIDTH} crop of one text line (1–3 words, upright, on a plain
     * background) for the text-direction classifier; with {@code upsideDown} the same crop rotated by 180°.
     */
    public Mat line(long index, boolean upsideDown) {
        SplittableRandom r = random(index, 2);
        Mat line = r.nextBoolean() ? gradient(r, LINE_WIDTH, LINE_HEIGHT) : smoothNoise(r, LINE_WIDTH, LINE_HEIGHT);
        int n = 1 + r.nextInt(3);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append(i == 0 ? "" : " ").append(WORDS.get(r.nextInt(WORDS.size())));
        }
        // script fonts are hard to read upside down even for people: keep to the upright families
        int font = FONTS[r.nextInt(6)];
        int thickness = 1 + r.nextInt(2);
        String s = text.toString();
        try (IntPointer baseline = new IntPointer(1);
             Size unit = opencv_imgproc.getTextSize(s, font, 1.0, thickness, baseline)) {
            double scale = Math.min(LINE_HEIGHT * 0.6 / Math.max(1, unit.height() + baseline.get()),
                    LINE_WIDTH * 0.92 / Math.max(1, unit.width()));
            int textW = (int) Math.ceil(unit.width() * scale);
            int textH = (int) Math.ceil(unit.height() * scale);
            int x = 2 + r.nextInt(Math.max(1, LINE_WIDTH - textW - 4));
            int y = (LINE_HEIGHT + textH) / 2;
            Scalar colour = contrastingColour(r, line);
            try (colour; Point org = new Point(x, y)) {
                opencv_imgproc.putText(line, s, org, font, scale, colour, thickness, LINE_AA, false);
            }
        }
        if (upsideDown) {
            opencv_core.flip(line, line, -1);
        }
        return line;
    }

    /**
     * Writes scenes 0..n-1 as {@code scene-00000.png}, … into {@code folder} (created when missing).
     *
     * @return the files written, in index order
     */
    public List<Path> writeTo(Path folder, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("The number of scenes cannot be negative: " + n);
        }
        List<Path> out = new ArrayList<>(n);
        try {
            Files.createDirectories(folder);
            for (int i = 0; i < n; i++) {
                Path file = folder.resolve(String.format("scene-%05d.png", i));
                try (Mat scene = scene(i); BytePointer buf = new BytePointer()) {
                    if (!opencv_imgcodecs.imencode(".png", scene, buf)) {
                        throw new IllegalStateException("OpenCV could not encode scene " + i + " as PNG");
                    }
                    byte[] png = new byte[(int) buf.limit()];
                    buf.get(png);
                    Files.write(file, png);
                }
                out.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write generated scenes to " + folder + ": " + e.getMessage(), e);
        }
        return out;
    }
}
