package dev.distillery.distill;

import dev.distillery.distill.target.ClassGroups;
import dev.distillery.metrics.ClassMapping;
import dev.distillery.metrics.MapIou;
import dev.distillery.model.Preprocessing;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The ONNX {@code metadata_props} a student carries, so that any part of the app (Teachers, Live, compare) and
 * any other tool can run it without knowing how it was made.
 *
 * <p>Generic keys that {@code ProfileInference} already reads: {@code labels} (JSON array), {@code mean},
 * {@code std}, {@code scale}, {@code channel_order}, {@code resize}. Distillery keys: see the constants.
 */
public final class StudentMetadata {
    /** The student's task: {@link StudentTask#metadataName()} ("CLASSIFIER", "DENSE" or "DETECTOR"). */
    public static final String KIND = "distillery.kind";
    public static final String PRESET = "distillery.preset";
    public static final String CHANNELS = "distillery.channels";
    /** "WxH". */
    public static final String INPUT_SIZE = "distillery.input_size";
    /** SHA-256 (hex) of the teacher's ONNX file. */
    public static final String TEACHER_SHA = "distillery.teacher_sha256";
    public static final String TEACHER_NAME = "distillery.teacher_name";
    /** Number of teacher classes (classification targets). */
    public static final String TEACHER_CLASSES = "distillery.teacher_classes";
    /** Resolved class groups ({@code ClassGroups.encode()}), absent when the student copies the full output. */
    public static final String GROUPS = "distillery.groups";
    /** "classes" or "map". */
    public static final String TARGET = "distillery.target";
    /** Threshold on the probability map used for IoU (dense). */
    public static final String MAP_THRESHOLD = "distillery.map_threshold";
    /** JSON object of validation metrics at export time. */
    public static final String METRICS = "distillery.metrics";
    public static final String RUN_ID = "distillery.run_id";
    public static final String CREATED = "distillery.created";

    private StudentMetadata() {
    }

    /**
     * How a classifier student's classes map to its teacher's {@code teacherClasses} classes: its
     * {@value #GROUPS} when present, else the identity (named by {@code studentLabels} when it has one per class).
     * The one place Live and compare read a student's groups.
     *
     * @throws IllegalArgumentException when the groups are malformed or do not fit the teacher
     */
    public static ClassMapping classMapping(Map<String, String> metadata, int teacherClasses,
                                            List<String> studentLabels) {
        String groups = metadata.get(GROUPS);
        if (groups == null || groups.isBlank()) {
            return ClassMapping.identity(teacherClasses, studentLabels);
        }
        ClassMapping m = ClassGroups.decode(groups, teacherClasses).mapping();
        return studentLabels != null && studentLabels.size() == m.studentClasses() ? m.withNames(studentLabels) : m;
    }

    /** Whether the metadata carries class groups. */
    public static boolean grouped(Map<String, String> metadata) {
        String groups = metadata.get(GROUPS);
        return groups != null && !groups.isBlank();
    }

    /** The student's IoU threshold ({@value #MAP_THRESHOLD}), else {@link MapIou#DEFAULT_THRESHOLD}. */
    public static double mapThreshold(Map<String, String> metadata) {
        return MapIou.threshold(metadata.get(MAP_THRESHOLD));
    }

    /** The preprocessing keys that ProfileInference reads back. */
    public static Map<String, String> preprocessing(Preprocessing p) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mean", triple(p.mean().get(0), p.mean().get(1), p.mean().get(2)));
        m.put("std", triple(p.std().get(0), p.std().get(1), p.std().get(2)));
        m.put("scale", format(p.scale()));
        m.put("channel_order", p.channelOrder().name());
        m.put("resize", p.resize().name());
        m.put("pad", Integer.toString(p.padValue()));
        return m;
    }

    private static String triple(double a, double b, double c) {
        return format(a) + "," + format(b) + "," + format(c);
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.10g", v).replaceAll("\\.?0+(?=$|e)", "");
    }
}
