package dev.distillery.teacher.run;

import dev.distillery.model.Prediction;

/** The output of an embedding model for one image, as it is. A pure function. */
public final class EmbeddingDecoder {
    private EmbeddingDecoder() {
    }

    /** Wraps a copy of {@code values} as the image's feature vector. */
    public static Prediction.Embedding decode(float[] values) {
        return new Prediction.Embedding(values.clone());
    }
}
