package dev.distillery.distill.quant;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds every inference-mode BatchNormalization that directly follows a Conv into that Conv's weight and
 * bias. With s = gamma / sqrt(var + epsilon), per output channel o:
 * <pre>
 *   W'[o, ...] = W[o, ...] · s[o]
 *   b'[o]      = (b[o] − mean[o]) · s[o] + beta[o]      (b = 0 when the Conv had no bias)
 * </pre>
 * computed in double and rounded once to float. A BatchNormalization it cannot fold (not after a Conv
 * whose only consumer it is, non-constant parameters, training outputs) is left as it is.
 */
public final class BatchNormFolder {
    /** The folded model and how many BatchNormalization nodes went into a Conv. */
    public record Folded(ModelProto model, int folded, int leftAlone) {
    }

    private BatchNormFolder() {
    }

    public static Folded fold(ModelProto model) {
        GraphProto g = model.getGraph();
        Map<String, TensorProto> inits = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            inits.put(t.getName(), t);
        }
        Map<String, Integer> producer = new HashMap<>();
        Map<String, Integer> consumers = new HashMap<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            for (String o : n.getOutputList()) {
                producer.put(o, i);
            }
            n.getInputList().forEach(in -> consumers.merge(in, 1, Integer::sum));
        }
        Set<String> graphOutputs = new HashSet<>();
        g.getOutputList().forEach(o -> graphOutputs.add(o.getName()));

        NodeProto[] nodes = g.getNodeList().toArray(new NodeProto[0]);
        boolean[] drop = new boolean[nodes.length];
        List<TensorProto> added = new ArrayList<>();
        int folded = 0;
        int leftAlone = 0;
        for (int i = 0; i < nodes.length; i++) {
            NodeProto bn = nodes[i];
            if (!bn.getOpType().equals("BatchNormalization") || !bn.getDomain().isEmpty()) {
                continue;
            }
            Integer ci = producer.get(bn.getInput(0));
            NodeProto conv = ci == null ? null : nodes[ci];
            if (conv == null || drop[ci] || !foldable(conv, bn, inits, consumers, graphOutputs)) {
                leftAlone++;
                continue;
            }
            float eps = 1e-5f;
            for (AttributeProto a : bn.getAttributeList()) {
                if (a.getName().equals("epsilon")) {
                    eps = a.getF();
                }
            }
            float[] gamma = Tensors.floats(inits.get(bn.getInput(1)));
            float[] beta = Tensors.floats(inits.get(bn.getInput(2)));
            float[] mean = Tensors.floats(inits.get(bn.getInput(3)));
            float[] var = Tensors.floats(inits.get(bn.getInput(4)));
            TensorProto wt = inits.get(conv.getInput(1));
            float[] w = Tensors.floats(wt);
            int out = (int) wt.getDims(0);
            float[] b = conv.getInputCount() > 2 && !conv.getInput(2).isEmpty()
                    ? Tensors.floats(inits.get(conv.getInput(2))) : new float[out];
            int per = w.length / out;
            float[] w2 = new float[w.length];
            float[] b2 = new float[out];
            for (int o = 0; o < out; o++) {
                double s = gamma[o] / Math.sqrt((double) var[o] + eps);
                for (int j = 0; j < per; j++) {
                    w2[o * per + j] = (float) (w[o * per + j] * s);
                }
                b2[o] = (float) ((b[o] - (double) mean[o]) * s + beta[o]);
            }
            String base = bn.getOutput(0);
            String wName = base + ".folded_weight";
            String bName = base + ".folded_bias";
            added.add(Tensors.floats(wName, w2, wt.getDimsList().stream().mapToLong(Long::longValue).toArray()));
            added.add(Tensors.floats(bName, b2, out));
            nodes[ci] = conv.toBuilder().clearInput().addInput(conv.getInput(0)).addInput(wName).addInput(bName)
                    .setOutput(0, bn.getOutput(0)).build();
            drop[i] = true;
            folded++;
        }
        GraphProto.Builder gb = g.toBuilder().clearNode();
        for (int i = 0; i < nodes.length; i++) {
            if (!drop[i]) {
                gb.addNode(nodes[i]);
            }
        }
        gb.addAllInitializer(added);
        return new Folded(model.toBuilder().setGraph(pruneUnused(gb)).build(), folded, leftAlone);
    }

    private static boolean foldable(NodeProto conv, NodeProto bn, Map<String, TensorProto> inits,
                                    Map<String, Integer> consumers, Set<String> graphOutputs) {
        if (!conv.getOpType().equals("Conv") || !conv.getDomain().isEmpty() || conv.getOutputCount() != 1) {
            return false;
        }
        String y = conv.getOutput(0);
        if (consumers.getOrDefault(y, 0) != 1 || graphOutputs.contains(y)) {
            return false;
        }
        if (bn.getOutputCount() != 1 || bn.getInputCount() != 5) {
            return false;
        }
        for (AttributeProto a : bn.getAttributeList()) {
            if (a.getName().equals("training_mode") && a.getI() != 0) {
                return false;
            }
        }
        TensorProto w = inits.get(conv.getInput(1));
        if (w == null || !Tensors.isFloat(w) || w.getDimsCount() < 3) {
            return false;
        }
        if (conv.getInputCount() > 2 && !conv.getInput(2).isEmpty()) {
            TensorProto b = inits.get(conv.getInput(2));
            if (b == null || !Tensors.isFloat(b)) {
                return false;
            }
        }
        for (int k = 1; k < 5; k++) {
            TensorProto p = inits.get(bn.getInput(k));
            if (p == null || !Tensors.isFloat(p) || Tensors.elements(p) != w.getDims(0)) {
                return false;
            }
        }
        return true;
    }

    /** Drops initializers (and their graph-input and value_info entries) that no node reads any more. */
    static GraphProto pruneUnused(GraphProto.Builder gb) {
        Set<String> used = new HashSet<>();
        Set<String> produced = new HashSet<>();
        for (NodeProto n : gb.getNodeList()) {
            used.addAll(n.getInputList());
            produced.addAll(n.getOutputList());
        }
        gb.getOutputList().forEach(o -> used.add(o.getName()));
        List<TensorProto> keep = new ArrayList<>();
        Set<String> dropped = new HashSet<>();
        for (TensorProto t : gb.getInitializerList()) {
            if (used.contains(t.getName())) {
                keep.add(t);
            } else {
                dropped.add(t.getName());
            }
        }
        gb.clearInitializer().addAllInitializer(keep);
        List<ValueInfoProto> inputs = gb.getInputList().stream().filter(v -> !dropped.contains(v.getName())).toList();
        gb.clearInput().addAllInput(inputs);
        Set<String> inputNames = new HashSet<>();
        inputs.forEach(v -> inputNames.add(v.getName()));
        List<ValueInfoProto> infos = gb.getValueInfoList().stream()
                .filter(v -> produced.contains(v.getName()) || inputNames.contains(v.getName())).toList();
        gb.clearValueInfo().addAllValueInfo(infos);
        return gb.build();
    }
}
