package dev.distillery.distill.target;

import dev.distillery.metrics.ClassMapping;

import java.util.List;

/**
 * What the student learns from the teacher's raw output: class probabilities (the full output or class
 * groups) or a dense probability map. Detection would be a third kind (boxes as a dense objectness map plus
 * regression), which is why the conversion lives behind this interface.
 */
public sealed interface Target permits Target.Classes, Target.Map {
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
