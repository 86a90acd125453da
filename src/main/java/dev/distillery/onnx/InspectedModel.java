package dev.distillery.onnx;

import dev.distillery.model.ModelInfo;

/**
 * What {@link ProfileInference} needs to know about a model: its declared facts and which operator
 * computes a tensor. {@code dev.distillery.onnx.OnnxModel} implements it; the interface lives here so
 * that the teacher packages do not depend on the ONNX reader (which depends on the teacher spec).
 */
public interface InspectedModel {
    /** Facts the file declares about itself. */
    ModelInfo info();

    /**
     * The op type of the node that computes {@code tensorName}, looking through shape-only nodes
     * (Identity, Reshape, Flatten, Squeeze, Unsqueeze, Transpose); "" when unknown or a graph input.
     */
    String producerOpType(String tensorName);
}
