package dev.distillery.onnx;

import dev.distillery.model.DetectionLayout;
import dev.distillery.model.ModelInfo;
import dev.distillery.model.Preprocessing;
import dev.distillery.model.Preprocessing.ChannelOrder;
import dev.distillery.model.Preprocessing.Layout;
import dev.distillery.model.Preprocessing.ResizeMode;
import dev.distillery.model.TaskKind;
import dev.distillery.model.TaskSpec;
import dev.distillery.model.TeacherException;
import dev.distillery.model.TeacherProfile;
import dev.distillery.model.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Guesses a {@link TeacherProfile} (task, preprocessing, labels) from what a model declares, so a
 * hobbyist can start with sensible defaults; every value can be edited afterwards.
 *
 * <h2>Input</h2>
 * The image input is {@link ImageInputs#find}; none → {@link TeacherException}. Layout NCHW when the
 * channels are on axis 1, else NHWC. Width/height come from the static H/W axes; a dynamic axis gets
 * the task's default: 640 for detection and dense maps, 224 otherwise. {@code batchSize} is the
 * static batch dimension (a model fixed at N=1 gives 1), 0 when dynamic. {@code elementType} is
 * "uint8" for uint8 inputs, else "float" (float16 inputs are fed as float and converted by the runner).
 *
 * <h2>Task, from the first output</h2>
 * <ul>
 *   <li><b>[N, C]</b>: classification when the metadata has C (or C±1) labels, or C is a usual class
 *       count (10, 80, 91, 100, 1000, 1001, 21843), or the output comes from Softmax/LogSoftmax
 *       (outputIsProbability only for Softmax), or its name matches logit/prob/class/score/pred;
 *       otherwise embedding when the name matches embed/feat/vector/descriptor or C is a power of two
 *       ≥ 64; otherwise classification. numClasses = C (the label count when C is dynamic).
 *       A [N, C, 1, 1] output with C &gt; 4 is read the same way.</li>
 *   <li><b>[1, A, B]</b>: detection. B ≥ 6 and A &gt; B (or A dynamic): rows of 5 + classes;
 *       ROWS_GRID (YOLOX, strides 8/16/32) when A = Σ_s (H/s)·(W/s) over s ∈ {8, 16, 32} for the input
 *       size, else ROWS_DECODED (YOLOv5/v7: A = 3× that sum, or anything else). A ≥ 5 and B &gt; A
 *       (or B dynamic): COLUMNS (YOLOv8/11), numClasses = A − 4. Scores are taken as probabilities.</li>
 *   <li><b>[N, K, H, W]</b> with 1 ≤ K ≤ 4: dense map with K channels; outputIsProbability when the
 *       output comes from Sigmoid or Softmax.</li>
 *   <li>anything else: UNKNOWN.</li>
 * </ul>
 *
 * <h2>Preprocessing defaults</h2>
 * <ul>
 *   <li>classification, embedding, unknown: RGB, scale 1/255, ImageNet mean/std, RESIZE_CENTER_CROP
 *       with crop fraction 0.875;</li>
 *   <li>detection ROWS_GRID (YOLOX): BGR, scale 1, mean 0, std 1, LETTERBOX_TOP_LEFT, pad 114;</li>
 *   <li>detection ROWS_DECODED / COLUMNS (YOLOv5/v8): RGB, scale 1/255, mean 0, std 1,
 *       LETTERBOX_CENTER, pad 114;</li>
 *   <li>dense: BGR, scale 1/255, ImageNet mean/std, STRETCH (PaddleOCR's detector convention);</li>
 *   <li>uint8 inputs: scale 1, mean 0, std 1 (the model normalizes itself).</li>
 * </ul>
 *
 * <h2>Metadata overrides</h2>
 * Keys are matched case-insensitively: {@code mean}, {@code std} (3 numbers, or 1 used for every
 * channel; separated by commas/spaces, brackets allowed), {@code scale} (a number or a fraction like
 * "1/255"), {@code channel_order} (RGB or BGR), {@code layout} (NCHW or NHWC), {@code resize}
 * (STRETCH, RESIZE_CENTER_CROP, LETTERBOX_CENTER, LETTERBOX_TOP_LEFT), {@code pad} (0–255). When a
 * mean above 1 is given without a scale, it is read as 0–255 pixel units and the scale becomes 1.
 * Unreadable values are ignored. Labels: see {@link MetadataLabels}.
 */
public final class ProfileInference {
    static final Set<Long> USUAL_CLASS_COUNTS = Set.of(10L, 80L, 91L, 100L, 1000L, 1001L, 21843L);
    static final List<Integer> STRIDES = List.of(8, 16, 32);
    private static final Pattern CLASSIFIER_NAME = Pattern.compile("logit|prob|class|score|pred",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern EMBEDDING_NAME = Pattern.compile("embed|feat|vector|descriptor",
            Pattern.CASE_INSENSITIVE);
    private static final int SMALL_DEFAULT = 224;
    private static final int LARGE_DEFAULT = 640;

    private ProfileInference() {
    }

    /** Infers the profile of {@code model}; throws when it has no image input. */
    public static TeacherProfile infer(OnnxModel model) {
        ModelInfo info = model.info();
        TensorSpec image = ImageInputs.find(info).orElseThrow(() -> new TeacherException(ImageInputs.missingMessage(info)));
        Map<String, String> meta = info.metadata();
        Layout layout = ImageInputs.channelsFirst(image) ? Layout.NCHW : Layout.NHWC;
        String layoutOverride = metaValue(meta, "layout");
        if (layoutOverride != null) {
            layout = parseEnum(Layout.class, layoutOverride, layout);
        }
        long staticH = layout == Layout.NCHW ? image.dim(2) : image.dim(1);
        long staticW = layout == Layout.NCHW ? image.dim(3) : image.dim(2);
        List<String> labels = MetadataLabels.from(meta);

        TaskSpec task = task(model, info, labels, staticH > 0 ? staticH : LARGE_DEFAULT,
                staticW > 0 ? staticW : LARGE_DEFAULT);
        int fallback = task.kind() == TaskKind.DETECTION || task.kind() == TaskKind.DENSE ? LARGE_DEFAULT : SMALL_DEFAULT;
        int width = staticW > 0 ? (int) Math.min(staticW, Integer.MAX_VALUE) : fallback;
        int height = staticH > 0 ? (int) Math.min(staticH, Integer.MAX_VALUE) : fallback;
        int batch = image.dim(0) > 0 ? (int) Math.min(image.dim(0), Integer.MAX_VALUE) : 0;
        String elementType = "uint8".equals(image.elementType()) ? "uint8" : "float";

        Preprocessing p = defaults(task, width, height, layout, batch, elementType);
        return new TeacherProfile(task, overrides(p, meta), labels);
    }

    private static TaskSpec task(OnnxModel model, ModelInfo info, List<String> labels, long h, long w) {
        if (info.outputs().isEmpty()) {
            return new TaskSpec(TaskKind.UNKNOWN, null, 0, false, List.of(), "");
        }
        TensorSpec out = info.outputs().get(0);
        String name = out.name();
        String producer = model.producerOpType(name);
        if (out.rank() == 2 || (out.rank() == 4 && out.dim(1) > 4 && out.dim(2) == 1 && out.dim(3) == 1)) {
            return classifierOrEmbedding(out.dim(1), name, producer, labels);
        }
        if (out.rank() == 3) {
            return detection(out.dim(1), out.dim(2), name, h, w);
        }
        if (out.rank() == 4 && out.dim(1) >= 1 && out.dim(1) <= 4) {
            boolean prob = "Sigmoid".equals(producer) || "Softmax".equals(producer);
            return new TaskSpec(TaskKind.DENSE, null, (int) out.dim(1), prob, List.of(), name);
        }
        return new TaskSpec(TaskKind.UNKNOWN, null, 0, false, List.of(), name);
    }

    private static TaskSpec classifierOrEmbedding(long c, String name, String producer, List<String> labels) {
        int n = c > 0 ? (int) Math.min(c, Integer.MAX_VALUE) : labels.size();
        boolean softmax = "Softmax".equals(producer) || "LogSoftmax".equals(producer);
        boolean classifier = (!labels.isEmpty() && c > 0 && Math.abs(labels.size() - c) <= 1)
                || USUAL_CLASS_COUNTS.contains(c) || softmax || CLASSIFIER_NAME.matcher(name).find();
        if (!classifier && (EMBEDDING_NAME.matcher(name).find() || (c >= 64 && Long.bitCount(c) == 1))) {
            return new TaskSpec(TaskKind.EMBEDDING, null, n, false, List.of(), name);
        }
        return new TaskSpec(TaskKind.CLASSIFICATION, null, n, "Softmax".equals(producer), List.of(), name);
    }

    private static TaskSpec detection(long a, long b, String name, long h, long w) {
        if (b >= 6 && (a > b || a < 0)) {
            long cells = 0;
            for (int s : STRIDES) {
                cells += (h / s) * (w / s);
            }
            int classes = (int) Math.min(b - 5, Integer.MAX_VALUE);
            if (a == cells) {
                return new TaskSpec(TaskKind.DETECTION, DetectionLayout.ROWS_GRID, classes, true, STRIDES, name);
            }
            return new TaskSpec(TaskKind.DETECTION, DetectionLayout.ROWS_DECODED, classes, true, List.of(), name);
        }
        if (a >= 5 && (b > a || b < 0)) {
            return new TaskSpec(TaskKind.DETECTION, DetectionLayout.COLUMNS, (int) Math.min(a - 4, Integer.MAX_VALUE),
                    true, List.of(), name);
        }
        return new TaskSpec(TaskKind.UNKNOWN, null, 0, false, List.of(), name);
    }

    private static Preprocessing defaults(TaskSpec task, int width, int height, Layout layout, int batch,
                                          String elementType) {
        ChannelOrder order = ChannelOrder.RGB;
        double scale = 1 / 255.0;
        List<Double> mean = Preprocessing.IMAGENET_MEAN;
        List<Double> std = Preprocessing.IMAGENET_STD;
        ResizeMode resize = ResizeMode.RESIZE_CENTER_CROP;
        double crop = 0.875;
        int pad = 0;
        if (task.kind() == TaskKind.DETECTION) {
            mean = Preprocessing.ZERO;
            std = Preprocessing.ONE;
            crop = 1.0;
            pad = 114;
            if (task.detectionLayout() == DetectionLayout.ROWS_GRID) {
                order = ChannelOrder.BGR;
                scale = 1;
                resize = ResizeMode.LETTERBOX_TOP_LEFT;
            } else {
                resize = ResizeMode.LETTERBOX_CENTER;
            }
        } else if (task.kind() == TaskKind.DENSE) {
            order = ChannelOrder.BGR;
            resize = ResizeMode.STRETCH;
            crop = 1.0;
        }
        if ("uint8".equals(elementType)) {
            scale = 1;
            mean = Preprocessing.ZERO;
            std = Preprocessing.ONE;
        }
        return new Preprocessing(width, height, layout, order, scale, mean, std, resize, crop, pad, batch, elementType);
    }

    private static Preprocessing overrides(Preprocessing p, Map<String, String> meta) {
        List<Double> mean = triple(metaValue(meta, "mean"), p.mean());
        List<Double> std = triple(metaValue(meta, "std"), p.std());
        if (std.stream().anyMatch(s -> s == 0)) {
            std = p.std();
        }
        double scale = p.scale();
        String scaleText = metaValue(meta, "scale");
        Double parsedScale = scaleText == null ? null : number(scaleText);
        if (parsedScale != null && parsedScale > 0) {
            scale = parsedScale;
        } else if (metaValue(meta, "mean") != null && mean.stream().anyMatch(m -> m > 1)) {
            scale = 1;
        }
        ChannelOrder order = parseEnum(ChannelOrder.class, metaValue(meta, "channel_order"), p.channelOrder());
        ResizeMode resize = parseEnum(ResizeMode.class, metaValue(meta, "resize"), p.resize());
        int pad = p.padValue();
        Double padValue = number(metaValue(meta, "pad"));
        if (padValue != null && padValue >= 0 && padValue <= 255) {
            pad = (int) Math.round(padValue);
        }
        return new Preprocessing(p.width(), p.height(), p.layout(), order, scale, mean, std, resize, p.cropFraction(),
                pad, p.batchSize(), p.elementType());
    }

    private static String metaValue(Map<String, String> meta, String key) {
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (e.getKey().strip().toLowerCase(Locale.ROOT).equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String text, E fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    /** "0.5", "1/255" → number; anything else → null. */
    static Double number(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        try {
            int slash = t.indexOf('/');
            if (slash > 0) {
                double den = Double.parseDouble(t.substring(slash + 1).strip());
                return den == 0 ? null : Double.parseDouble(t.substring(0, slash).strip()) / den;
            }
            double v = Double.parseDouble(t);
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<Double> triple(String text, List<Double> fallback) {
        if (text == null) {
            return fallback;
        }
        List<Double> values = new ArrayList<>();
        for (String part : text.replaceAll("[\\[\\]()]", " ").strip().split("[,;\\s]+")) {
            Double v = number(part);
            if (v == null) {
                return fallback;
            }
            values.add(v);
        }
        if (values.size() == 1) {
            return List.of(values.get(0), values.get(0), values.get(0));
        }
        return values.size() == 3 ? values : fallback;
    }
}
