package dev.distillery.model;

import java.util.List;

/**
 * One model input or output as declared in the ONNX graph.
 *
 * @param name        tensor name
 * @param elementType ONNX element type name in lower case: "float", "uint8", "int64", "float16", ...
 * @param dims        one entry per axis; a fixed size, or -1 when the axis is dynamic (symbolic or unknown)
 * @param dimNames    one entry per axis; the symbolic name ("N", "batch") of a dynamic axis, else ""
 */
public record TensorSpec(String name, String elementType, List<Long> dims, List<String> dimNames) {
    public TensorSpec {
        dims = List.copyOf(dims);
        dimNames = List.copyOf(dimNames);
    }

    public int rank() {
        return dims.size();
    }

    public long dim(int axis) {
        return dims.get(axis);
    }

    public boolean isDynamic(int axis) {
        return dims.get(axis) < 0;
    }

    /**
     * Shape as a person reads it: [N, 3, 224, 224]. Long generated axis names (such as paddle2onnx's
     * "p2o.DynamicDimension.0") read as "?"; short ones ("N", "batch") are kept.
     */
    public String shapeText() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            if (dims.get(i) >= 0) {
                sb.append(dims.get(i));
            } else {
                String n = dimNames.get(i);
                sb.append(n.isEmpty() || n.length() > 12 || n.contains(".") ? "?" : n);
            }
        }
        return sb.append(']').toString();
    }
}
