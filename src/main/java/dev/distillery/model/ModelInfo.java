package dev.distillery.model;

import java.util.List;
import java.util.Map;

/**
 * What an ONNX file declares about itself, read without running it.
 *
 * @param irVersion          ONNX IR version
 * @param opsets             operator set versions by domain ("" is the default ai.onnx domain)
 * @param producerName       producer_name, may be ""
 * @param producerVersion    producer_version, may be ""
 * @param graphName          the graph's name, may be ""
 * @param fileSize           file size in bytes
 * @param parameterCount     elements in initializers plus tensors held in Constant nodes
 * @param operatorHistogram  node count per op type ("Conv" → 52), domain-qualified for non-default domains
 * @param metadata           metadata_props
 * @param inputs             graph inputs that are not initializers
 * @param outputs            graph outputs
 */
public record ModelInfo(long irVersion, Map<String, Long> opsets, String producerName, String producerVersion,
                        String graphName, long fileSize, long parameterCount, Map<String, Integer> operatorHistogram,
                        Map<String, String> metadata, List<TensorSpec> inputs, List<TensorSpec> outputs) {
    public ModelInfo {
        opsets = Map.copyOf(opsets);
        operatorHistogram = Map.copyOf(operatorHistogram);
        metadata = Map.copyOf(metadata);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** Default-domain opset, or 0 when the model does not import it. */
    public long defaultOpset() {
        return opsets.getOrDefault("", opsets.getOrDefault("ai.onnx", 0L));
    }
}
