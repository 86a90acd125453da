package dev.distillery.distill;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a run produced, teacher against student: the figures a miner asks for.
 *
 * @param metricName      "agreement" (classes) or "IoU@0.3" (maps)
 * @param valMetric       the exported student's validation metric, measured in ONNX Runtime
 * @param valAccuracy     accuracy against ground-truth folders, null when the data has none
 * @param teacherP50Ms    CPU latency p50 at batch 1 with {@code threads} threads (same method for both)
 * @param parityMaxAbsDiff ONNX Runtime vs DJL on validation inputs
 * @param int8            the quantized variant, null when not asked for
 * @param classification  classifier students: agreement's honest companions on the same validation images; null
 *                        for maps (and in reports written before it existed)
 */
public record DistillReport(String teacherName, long teacherBytes, long teacherParams, double teacherP50Ms,
                            String studentPath, String preset, int inputWidth, int inputHeight, long studentBytes,
                            long studentParams, double studentP50Ms, int threads, String metricName, double valMetric,
                            Double valAccuracy, int valImages, int epochs, int bestEpoch, String stopReason,
                            double trainSeconds, double samplesPerSecond, double parityMaxAbsDiff, Int8 int8,
                            Classification classification, Detection detection) {
    /** A report without detection figures (classifiers and maps). */
    public DistillReport(String teacherName, long teacherBytes, long teacherParams, double teacherP50Ms,
                         String studentPath, String preset, int inputWidth, int inputHeight, long studentBytes,
                         long studentParams, double studentP50Ms, int threads, String metricName, double valMetric,
                         Double valAccuracy, int valImages, int epochs, int bestEpoch, String stopReason,
                         double trainSeconds, double samplesPerSecond, double parityMaxAbsDiff, Int8 int8,
                         Classification classification) {
        this(teacherName, teacherBytes, teacherParams, teacherP50Ms, studentPath, preset, inputWidth, inputHeight,
                studentBytes, studentParams, studentP50Ms, threads, metricName, valMetric, valAccuracy, valImages,
                epochs, bestEpoch, stopReason, trainSeconds, samplesPerSecond, parityMaxAbsDiff, int8, classification,
                null);
    }

    /**
     * Detector students: their boxes against the teacher's on the validation images
     * ({@link dev.distillery.metrics.DetectionAp}).
     *
     * @param map50     mAP at IoU 0.5 (NaN when the teacher found no box)
     * @param map50to95 mAP over IoU 0.50:0.95
     * @param perClass  per student class: the teacher's boxes and the student's AP
     * @param teacherBoxesPerFrame mean teacher boxes per image (above its confidence threshold)
     * @param studentBoxesPerFrame mean student boxes per image with a score of at least
     *                             {@link dev.distillery.metrics.DetectionAp#CONFIDENT} (the boxes drawn)
     */
    public record Detection(@JsonProperty("map50") double map50, @JsonProperty("map50_95") double map50to95,
                            List<ClassAp> perClass, double teacherBoxesPerFrame, double studentBoxesPerFrame) {
        public Detection {
            perClass = perClass == null ? List.of() : List.copyOf(perClass);
        }

        public static Detection of(dev.distillery.metrics.DetectionAp.Result r, List<String> names) {
            List<ClassAp> rows = new java.util.ArrayList<>();
            for (var c : r.perClass()) {
                rows.add(new ClassAp(c.classIndex() < names.size() ? names.get(c.classIndex()) : "class " + c.classIndex(),
                        c.truthBoxes(), c.ap50(), c.ap50to95()));
            }
            return new Detection(r.map50(), r.map50to95(), rows, r.truthPerFrame(), r.confidentPerFrame());
        }
    }

    /** One class: the teacher's boxes of it, and the student's AP at 0.5 and over 0.5:0.95. */
    public record ClassAp(@JsonProperty("class") String name, int boxes, double ap50,
                          @JsonProperty("ap50_95") double ap50to95) {
    }

    /**
     * What agreement alone hides (see {@link dev.distillery.metrics.ConfusionMatrix}, {@link
     * dev.distillery.metrics.Verdict}).
     *
     * @param majorityBaseline  share of the teacher's most frequent class: what always answering it scores
     * @param balancedAgreement mean per-class recall over the classes the teacher gave
     * @param kappa             Cohen's kappa, student against teacher
     * @param perClass          per student class: images the teacher put there and the student's recall
     * @param verdict           "PASSED" or "FAILED" (no better than the majority answer)
     * @param verdictReason     why it failed; empty when it passed
     * @param advice            what to try after a failure; empty when it passed
     */
    public record Classification(String majorityClass, double majorityBaseline, double balancedAgreement,
                                 double kappa, List<ClassRecall> perClass, String verdict, String verdictReason,
                                 String advice) {
        public Classification {
            perClass = perClass == null ? List.of() : List.copyOf(perClass);
        }

        public boolean failed() {
            return dev.distillery.metrics.Verdict.FAILED.equals(verdict);
        }

        /** From validation figures, naming classes by {@code names}. */
        public static Classification of(dev.distillery.metrics.ClassMetrics m, List<String> names) {
            List<ClassRecall> rows = new java.util.ArrayList<>();
            for (var r : m.perClass()) {
                rows.add(new ClassRecall(names.get(r.index()), r.count(), r.count() == 0 ? null : r.recall()));
            }
            var v = m.verdict();
            return new Classification(names.get(m.majorityClass()), m.majorityBaseline(), m.balancedAgreement(),
                    m.kappa(), rows, v.label(), v.reason(), v.advice());
        }
    }

    /** One class: validation images the teacher put in it, and the student's recall there (null when none). */
    public record ClassRecall(@JsonProperty("class") String name, long count, Double recall) {
    }

    /** The int8 variant next to the float one. */
    public record Int8(String path, long bytes, double p50Ms, double valMetric) {
    }

    public double sizeRatio() {
        return teacherBytes > 0 ? (double) studentBytes / teacherBytes : Double.NaN;
    }

    public double latencyRatio() {
        return teacherP50Ms > 0 ? studentP50Ms / teacherP50Ms : Double.NaN;
    }
}
