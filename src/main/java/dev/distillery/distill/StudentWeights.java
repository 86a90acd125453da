package dev.distillery.distill;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a student's parameters as plain float arrays, keyed {@code "<layer index>.<name>"}
 * with name one of weight, bias, gamma, beta, runningMean, runningVar (DJL's parameter names).
 */
public record StudentWeights(Map<String, Tensor> tensors) {
    public record Tensor(float[] data, long[] shape) {
    }

    public StudentWeights {
        tensors = Map.copyOf(tensors);
    }

    /** Copies the parameters of a block built by {@link StudentBuilder} for {@code spec} (initialised). */
    public static StudentWeights from(StudentSpec spec, Block block) {
        List<StudentLayer> layers = spec.layers();
        ai.djl.nn.BlockList children = block.getChildren();
        if (children.size() != layers.size()) {
            throw new IllegalArgumentException("block has " + children.size() + " children, spec " + spec.name()
                    + " has " + layers.size() + " layers");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Pair<String, Parameter> p : children.get(i).getValue().getParameters()) {
                Parameter param = p.getValue();
                if (!param.isInitialized()) {
                    throw new IllegalStateException("parameter " + p.getKey() + " of layer " + i + " not initialised");
                }
                out.put(i + "." + param.getName(), new Tensor(param.getArray().toFloatArray(),
                        param.getArray().getShape().getShape()));
            }
        }
        return new StudentWeights(out);
    }

    public Tensor get(int layer, String name) {
        Tensor t = tensors.get(layer + "." + name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter " + layer + "." + name + " (have " + tensors.keySet() + ")");
        }
        return t;
    }

    public long count() {
        return tensors.values().stream().mapToLong(t -> t.data().length).sum();
    }
}
