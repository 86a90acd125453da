package dev.distillery.model;

import java.util.List;

/**
 * The task and how to read the model's first output.
 *
 * @param kind            what the model does
 * @param detectionLayout for {@link TaskKind#DETECTION}, the layout; null otherwise
 * @param numClasses      classes (classification, detection), channels (dense), dimension (embedding)
 * @param outputIsProbability true when scores are already probabilities (softmax/sigmoid in the graph);
 *                        false when they are logits that need softmax (classification) or sigmoid (dense)
 * @param strides         grid strides for {@link DetectionLayout#ROWS_GRID}, usually [8, 16, 32]
 * @param outputName      the output tensor to read
 */
public record TaskSpec(TaskKind kind, DetectionLayout detectionLayout, int numClasses, boolean outputIsProbability,
                       List<Integer> strides, String outputName) {
    public TaskSpec {
        strides = strides == null ? List.of() : List.copyOf(strides);
    }
}
