package dev.distillery.teacher.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;

import dev.distillery.model.DetectionLayout;
import dev.distillery.model.Prediction;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.Preprocessing.ChannelOrder;
import dev.distillery.model.Preprocessing.Layout;
import dev.distillery.model.Preprocessing.ResizeMode;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TaskSpec;
import dev.distillery.model.TeacherProfile;
import dev.distillery.vision.Images;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner on real teachers from the shared folder (system property {@code distillery.shared}); skipped
 * when the files are absent. Latencies are printed for information only.
 */
class TeacherRealModelsTest {
    static final int THREADS = 2;

    @TempDir
    Path dir;

    static Path shared(String relative) {
        String root = System.getProperty("distillery.shared");
        Path p = root == null ? null : Path.of(root).resolve(relative);
        Assumptions.assumeTrue(p != null && Files.exists(p), relative + " not found: skipping");
        return p;
    }

    @Test
    void mobileNetV2ClassifiesImageNetSamples() throws Exception {
        Path model = shared("teachers/mobilenetv2-12-int8_imagenet1k.onnx");
        Path folder = shared("images/imagenet_sample_1000");
        List<String[]> rows;
        try (Stream<String> lines = Files.lines(shared("labels/imagenet1k_index_wnid_name.tsv"))) {
            rows = lines.filter(l -> !l.isBlank()).map(l -> l.split("\t")).collect(Collectors.toList());
        }
        Map<String, Integer> indexOfWnid = new HashMap<>();
        List<String> labels = new ArrayList<>();
        for (String[] r : rows) {
            indexOfWnid.put(r[1], Integer.parseInt(r[0]));
            labels.add(r[2]);
        }
        List<Path> images;
        try (Stream<Path> files = Files.list(folder)) {
            images = files.sorted().collect(Collectors.toList());
        }
        boolean full = Boolean.getBoolean("distillery.fullImagenet");
        List<Path> subset = new ArrayList<>();
        for (int i = 0; i < images.size(); i += full ? 1 : 20) {
            subset.add(images.get(i));
        }
        Preprocessing p = new Preprocessing(224, 224, Layout.NCHW, ChannelOrder.RGB, 1 / 255.0,
                Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD, ResizeMode.RESIZE_CENTER_CROP, 0.875, 0, 0,
                "float");
        TeacherProfile profile = new TeacherProfile(new TaskSpec(TaskKind.CLASSIFICATION, null, 1000, false, List.of(),
                "output"), p, labels);
        int top1 = 0;
        int top5 = 0;
        long nanos = 0;
        try (TeacherRunner runner = TeacherRunner.open(model, profile, THREADS)) {
            for (Path image : subset) {
                int truth = indexOfWnid.get(image.getFileName().toString().split("_")[0]);
                try (Mat bgr = Images.read(image)) {
                    long start = System.nanoTime();
                    Prediction.Classification c = (Prediction.Classification) runner.predict(bgr);
                    nanos += System.nanoTime() - start;
                    top1 += c.top().get(0).classIndex() == truth ? 1 : 0;
                    top5 += c.top().stream().anyMatch(s -> s.classIndex() == truth) ? 1 : 0;
                }
            }
            List<Mat> batch = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                batch.add(Images.read(subset.get(i)));
            }
            long start = System.nanoTime();
            runner.predictBatch(batch);
            double batchMs = (System.nanoTime() - start) / 1e6 / 8;
            batch.forEach(Mat::close);
            System.out.printf("MobileNetV2 int8 on %d images: top-1 %.3f, top-5 %.3f; %.1f ms/image at batch 1, "
                    + "%.1f ms/image at batch 8 (%d threads, preprocessing included)%n", subset.size(),
                    (double) top1 / subset.size(), (double) top5 / subset.size(), nanos / 1e6 / subset.size(), batchMs,
                    THREADS);
        }
        assertThat((double) top1 / subset.size()).isGreaterThanOrEqualTo(0.7);
    }

    @Test
    void yoloxNanoFindsTheBusAndItsPassengers() throws Exception {
        Path model = shared("teachers/yolox_nano_coco_416.onnx");
        Path image = shared("images/yolo_demo/bus.jpg");
        List<String> labels = Files.readAllLines(shared("labels/coco80.names")).stream().filter(l -> !l.isBlank())
                .collect(Collectors.toList());
        Preprocessing p = new Preprocessing(416, 416, Layout.NCHW, ChannelOrder.BGR, 1, Preprocessing.ZERO,
                Preprocessing.ONE, ResizeMode.LETTERBOX_TOP_LEFT, 1, 114, 1, "float");
        TeacherProfile profile = new TeacherProfile(new TaskSpec(TaskKind.DETECTION, DetectionLayout.ROWS_GRID, 80,
                true, List.of(8, 16, 32), "output"), p, labels);
        try (TeacherRunner runner = TeacherRunner.open(model, profile, THREADS);
             Mat bgr = Images.read(image)) {
            runner.detectionDecoder(DetectionDecoder.defaults().withScoreThreshold(0.3f));
            runner.predict(bgr); // warm-up
            long start = System.nanoTime();
            int runs = 10;
            Prediction.Detections d = null;
            for (int i = 0; i < runs; i++) {
                d = (Prediction.Detections) runner.predict(bgr);
            }
            double ms = (System.nanoTime() - start) / 1e6 / runs;
            System.out.printf("YOLOX-Nano on bus.jpg (%dx%d): %.1f ms/image (%d threads); %s%n", bgr.cols(), bgr.rows(),
                    ms, THREADS, ResultJson.toJson(d));
            List<Prediction.Box> boxes = d.boxes();
            assertThat(boxes).anySatisfy(b -> assertThat(b.label()).isEqualTo("bus"));
            assertThat(boxes.stream().filter(b -> b.label().equals("person")).count()).isGreaterThanOrEqualTo(3);
            for (Prediction.Box b : boxes) {
                assertThat(b.score()).isGreaterThanOrEqualTo(0.3f);
                assertThat(b.x1()).isBetween(0f, b.x2());
                assertThat(b.y1()).isBetween(0f, b.y2());
                assertThat(b.x2()).isLessThanOrEqualTo(bgr.cols());
                assertThat(b.y2()).isLessThanOrEqualTo(bgr.rows());
            }
            Prediction.Box bus = boxes.stream().filter(b -> b.label().equals("bus")).findFirst().orElseThrow();
            // The bus fills most of the width of this 810×1080 photo.
            assertThat(bus.x2() - bus.x1()).isGreaterThan(0.7f * bgr.cols());
        }
    }

    @Test
    void ppOcrDetectorSeesRenderedText() throws Exception {
        Path model = dir.resolve("ch_PP-OCRv4_det_infer.onnx");
        try (InputStream in = TeacherRealModelsTest.class.getResourceAsStream("/models/ch_PP-OCRv4_det_infer.onnx")) {
            Assumptions.assumeTrue(in != null, "/models/ch_PP-OCRv4_det_infer.onnx not found: skipping");
            Files.copy(in, model, StandardCopyOption.REPLACE_EXISTING);
        }
        Preprocessing p = new Preprocessing(640, 640, Layout.NCHW, ChannelOrder.BGR, 1 / 255.0,
                Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD, ResizeMode.STRETCH, 1, 0, 0, "float");
        TeacherProfile profile = new TeacherProfile(new TaskSpec(TaskKind.DENSE, null, 1, true, List.of(), null), p,
                List.of());
        int width = 800;
        int height = 600;
        String[][] lines = {{"HELLO", "WORLD"}, {"DISTILLERY", "2026"}, {"tiny", "models"}};
        List<Rect> words = new ArrayList<>();
        try (Mat page = new Mat(height, width, CV_8UC3, new Scalar(235, 240, 245, 0))) {
            int y = 140;
            for (String[] line : lines) {
                int x = 60;
                for (String word : line) {
                    int[] baseline = new int[1];
                    Size size = opencv_imgproc.getTextSize(word, FONT_HERSHEY_SIMPLEX, 2.2, 5, baseline);
                    opencv_imgproc.putText(page, word, new Point(x, y), FONT_HERSHEY_SIMPLEX, 2.2,
                            new Scalar(20, 20, 20, 0), 5, LINE_AA, false);
                    words.add(new Rect(x, y - size.height(), size.width(), size.height()));
                    x += size.width() + 50;
                }
                y += 180;
            }
            try (TeacherRunner runner = TeacherRunner.open(model, profile, THREADS)) {
                Prediction.DenseMap map = (Prediction.DenseMap) runner.predict(page);
                long start = System.nanoTime();
                int runs = 5;
                for (int i = 0; i < runs; i++) {
                    map = (Prediction.DenseMap) runner.predict(page);
                }
                double ms = (System.nanoTime() - start) / 1e6 / runs;
                assertThat(map.width()).isEqualTo(width);
                assertThat(map.height()).isEqualTo(height);
                boolean[] nearText = new boolean[width * height];
                // DB-style detectors mark a shrunk text region (the middle of the line, not the ascender and
                // descender margins), so the "inside" measure is each word's central band: its middle third in
                // height, minus that band's height at both ends. The whole glyph box is printed as well.
                double inside = 0;
                long insideCount = 0;
                double box = 0;
                long boxCount = 0;
                for (Rect r : words) {
                    int band = r.height() / 3;
                    int top = r.y() + band;
                    int bottom = r.y() + 2 * band;
                    for (int yy = top; yy < bottom; yy++) {
                        for (int xx = r.x() + band; xx < r.x() + r.width() - band; xx++) {
                            inside += map.values()[yy * width + xx];
                            insideCount++;
                        }
                    }
                    for (int yy = 0; yy < height; yy++) {
                        for (int xx = 0; xx < width; xx++) {
                            boolean near = xx > r.x() - 40 && xx < r.x() + r.width() + 40
                                    && yy > r.y() - 40 && yy < r.y() + r.height() + 40;
                            nearText[yy * width + xx] |= near;
                            if (xx >= r.x() && xx < r.x() + r.width() && yy >= r.y() && yy < r.y() + r.height()) {
                                box += map.values()[yy * width + xx];
                                boxCount++;
                            }
                        }
                    }
                }
                double outside = 0;
                long outsideCount = 0;
                for (int i = 0; i < nearText.length; i++) {
                    if (!nearText[i]) {
                        outside += map.values()[i];
                        outsideCount++;
                    }
                }
                double meanInside = inside / insideCount;
                double meanOutside = outside / outsideCount;
                float max = 0;
                for (float v : map.values()) {
                    max = Math.max(max, v);
                }
                System.out.printf("PP-OCRv4 det at 640x640 on an 800x600 text page: %.1f ms/image (%d threads); "
                                + "map mean in the words' central bands %.3f, over whole glyph boxes %.3f, far (> 40 px) "
                                + "from text %.4f, max %.3f; %s%n", ms, THREADS, meanInside, box / boxCount,
                        meanOutside, max, ResultJson.toJson(map));
                assertThat(meanInside).isGreaterThan(0.5);
                assertThat(meanOutside).isLessThan(0.1);
                assertThat(max).isLessThanOrEqualTo(1f);
            }
        }
    }

    @SuppressWarnings("unused")
    private static String describe(float[] v) {
        return Arrays.toString(Arrays.copyOf(v, Math.min(5, v.length)));
    }
}
