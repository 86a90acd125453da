package dev.distillery.distill.target;

import dev.distillery.metrics.ClassMapping;

import java.util.List;

/**
 * What the student learns from the teacher's raw output: class probabilities (the full output or class
 * groups) or a dense probability map. Detection would be a third kind (boxes as a dense objectness map plus
 * regression), which is why the conversion lives behind this interface.
 */
public sealed interface Target permits Target.Classes, Target.Map, Target.Boxes {
    /** Student outputs: classes, or map channels. */
    int outputs();

    /** Student output names (class names; "map" for dense). */
    List<String> names();

    /** Values per student output sample (classes, or H·W per channel). */
    int targetSize(int outputHeight, int outputWidth);

    /**
     * Student classes from teacher class probabilities, grouped. {@code teacherGivesProbabilities}: the raw output
     * is already softmaxed (else it is logits).
     */
    record Classes(ClassGroups groups, boolean teacherGivesProbabilities) implements Target {
        @Override
        public int outputs() {
            return groups.size();
        }

        @Override
        public List<String> names() {
            return groups.names();
        }

        @Override
        public int targetSize(int outputHeight, int outputWidth) {
            return groups.size();
        }

        /** Teacher class probabilities at temperature T (T = 1: the teacher's own distribution). */
        public float[] teacherProbabilities(float[] raw, float temperature) {
            if (raw.length != groups.teacherClasses()) {
                throw new IllegalArgumentException("The teacher gave " + raw.length + " scores, expected "
                        + groups.teacherClasses());
            }
            double[] logits = new double[raw.length];
            for (int i = 0; i < raw.length; i++) {
                logits[i] = teacherGivesProbabilities ? Math.log(Math.max(raw[i], 1e-12f)) : raw[i];
            }
            return softmax(logits, temperature);
        }

        /**
         * The soft target: the teacher's own (T = 1) probabilities summed per student class, then softened at
         * temperature T. Grouping first matters: softening 1000 classes before summing them moves most of the
         * mass to a group of hundreds of classes ("other"), so a student of a 1000-class teacher learnt to answer
         * "other" for a cat the teacher called a cat at 0.6.
         */
        public float[] target(float[] raw, float temperature) {
            float[] grouped = groups.apply(teacherProbabilities(raw, 1f));
            if (temperature == 1f) {
                return grouped;
            }
            double[] logs = new double[grouped.length];
            for (int i = 0; i < logs.length; i++) {
                logs[i] = Math.log(Math.max(grouped[i], 1e-12f));
            }
            return softmax(logs, temperature);
        }

        /** The teacher's student class: the one definition compare, Live and validators use ({@link ClassMapping}). */
        public int teacherClass(float[] raw) {
            return groups.mapping().studentClass(teacherProbabilities(raw, 1f));
        }
    }

    /**
     * A dense probability map (e.g. text regions). {@code threshold} binarizes maps for IoU.
     */
    record Map(boolean teacherGivesProbabilities, float threshold) implements Target {
        @Override
        public int outputs() {
            return 1;
        }

        @Override
        public List<String> names() {
            return List.of("map");
        }

        @Override
        public int targetSize(int outputHeight, int outputWidth) {
            return outputHeight * outputWidth;
        }

        /** The teacher's probability map (first channel) from its raw output. */
        public float[] target(float[] raw, int size) {
            if (raw.length < size) {
                throw new IllegalArgumentException("The teacher's map has " + raw.length + " values, expected at least "
                        + size + "; the teacher must run at the student's input size");
            }
            float[] p = new float[size];
            for (int i = 0; i < size; i++) {
                p[i] = teacherGivesProbabilities ? raw[i] : (float) (1 / (1 + Math.exp(-raw[i])));
            }
            return p;
        }
    }

    /**
     * Boxes of the teacher's classes in {@code groups} (one student class per group; classes in no group are
     * dropped, there is no "other" box), from the teacher's raw detection output: decoded with the app's
     * {@link dev.distillery.teacher.run.DetectionDecoder} at {@code confidence}, mapped from the original image into
     * the student's input (letterboxed as the teacher's, at the student's size).
     *
     * @param teacherTask           the teacher's detection layout, classes and strides
     * @param teacherPreprocessing  how the teacher's input was made (its size drives the grid decode)
     * @param studentPreprocessing  how the student's input is made
     */
    record Boxes(ClassGroups groups, dev.distillery.model.TaskSpec teacherTask,
                 dev.distillery.model.Preprocessing teacherPreprocessing,
                 dev.distillery.model.Preprocessing studentPreprocessing, float confidence) implements Target {
        @Override
        public int outputs() {
            return groups.groups().size();
        }

        @Override
        public List<String> names() {
            return groups.groups().stream().map(ClassGroups.Group::name).toList();
        }

        @Override
        public int targetSize(int outputHeight, int outputWidth) {
            return grid(outputWidth, outputHeight).targetSize();
        }

        /** The student's grid at an input size. */
        public BoxGrid grid(int inputWidth, int inputHeight) {
            int s = BoxGrid.STRIDE;
            return new BoxGrid(outputs(), inputWidth / s, inputHeight / s, s);
        }

        /** Score threshold of the student's boxes when measured by AP: low, so that the whole curve counts. */
        public static final float AP_SCORE_THRESHOLD = 0.01f;

        /**
         * A detector student's boxes from its exported form (YOLOv8 columns, {@link BoxGrid#decode}) at an input of
         * {@code width}×{@code height}, in input pixels, through the app's decoder (NMS) at
         * {@link #AP_SCORE_THRESHOLD}: the boxes AP is measured on.
         */
        public List<dev.distillery.metrics.BoxMatching.Box> studentBoxes(float[] columns, int width, int height) {
            return columnBoxes(columns, 4 + outputs(), new dev.distillery.teacher.run.DetectionDecoder(
                    AP_SCORE_THRESHOLD, dev.distillery.teacher.run.DetectionDecoder.DEFAULT_IOU_THRESHOLD, 100),
                    width, height);
        }

        /**
         * One image's output in YOLOv8's column layout ({@code attributes} = 4 + classes per box) through
         * {@code decoder} (threshold and NMS), as boxes in the input's pixels of {@code width}×{@code height}.
         */
        public static List<dev.distillery.metrics.BoxMatching.Box> columnBoxes(
                float[] columns, int attributes, dev.distillery.teacher.run.DetectionDecoder decoder, int width,
                int height) {
            var decoded = decoder.decode(columns, attributes, columns.length / attributes,
                    dev.distillery.model.DetectionLayout.COLUMNS, List.of(),
                    dev.distillery.vision.Transform.identity(width, height), i -> "");
            return decoded.boxes().stream().map(b -> new dev.distillery.metrics.BoxMatching.Box(b.x1(), b.y1(), b.x2(),
                    b.y2(), b.classIndex(), b.score())).toList();
        }

        /**
         * The teacher's boxes of one image of {@code sourceWidth}×{@code sourceHeight} pixels, in the student's input
         * pixels, with student classes; the one definition of "the teacher's boxes" distill, compare and validators use.
         */
        public List<dev.distillery.metrics.BoxMatching.Box> teacherBoxes(float[] raw, int sourceWidth,
                                                                          int sourceHeight) {
            var teacherT = dev.distillery.vision.Preprocessor.transformFor(sourceWidth, sourceHeight,
                    teacherPreprocessing);
            var studentT = dev.distillery.vision.Preprocessor.transformFor(sourceWidth, sourceHeight,
                    studentPreprocessing);
            int classes = teacherTask.numClasses();
            boolean columns = teacherTask.detectionLayout() == dev.distillery.model.DetectionLayout.COLUMNS;
            int attrs = classes + (columns ? 4 : 5);
            int count = raw.length / attrs;
            var decoded = new dev.distillery.teacher.run.DetectionDecoder(confidence,
                    dev.distillery.teacher.run.DetectionDecoder.DEFAULT_IOU_THRESHOLD, 300)
                    .decode(raw, columns ? attrs : count, columns ? count : attrs, teacherTask.detectionLayout(),
                            teacherTask.strides(), teacherT, i -> "");
            List<dev.distillery.metrics.BoxMatching.Box> out = new java.util.ArrayList<>();
            for (var b : decoded.boxes()) {
                int c = groups.studentClass(b.classIndex());
                if (c < 0 || c >= outputs()) {
                    continue;
                }
                out.add(new dev.distillery.metrics.BoxMatching.Box((float) studentT.toModelX(b.x1()),
                        (float) studentT.toModelY(b.y1()), (float) studentT.toModelX(b.x2()),
                        (float) studentT.toModelY(b.y2()), c, b.score()));
            }
            return out;
        }
    }

    /** softmax(logits / T), computed stably in double. */
    static float[] softmax(double[] logits, float temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l / temperature);
        }
        double[] e = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] / temperature - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    /** Index of the largest value (first on ties). */
    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
