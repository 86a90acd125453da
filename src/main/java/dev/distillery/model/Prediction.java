package dev.distillery.model;

import java.util.List;

/** A decoded answer of a vision model for one image, in the original image's pixel coordinates. */
public sealed interface Prediction {
    /** One class with its probability. */
    record Scored(int classIndex, String label, float score) {
    }

    /**
     * Top-k classes, best first; probabilities sum to at most 1. {@code probabilities}: every class's probability
     * when the decoder kept them (what Live needs to map a teacher's output through a student's class groups), else
     * null.
     */
    record Classification(List<Scored> top, float[] probabilities) implements Prediction {
        public Classification(List<Scored> top) {
            this(top, null);
        }
    }

    /** A box in original-image pixels: left, top, right, bottom. */
    record Box(float x1, float y1, float x2, float y2, int classIndex, String label, float score) {
        public float area() {
            return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
        }
    }

    /** Boxes after NMS, best first. */
    record Detections(List<Box> boxes) implements Prediction {
    }

    /**
     * A per-pixel probability map at the original image's size, row-major; values in [0, 1].
     */
    record DenseMap(int width, int height, float[] values) implements Prediction {
    }

    /** A feature vector. */
    record Embedding(float[] vector) implements Prediction {
    }
}
