package dev.distillery.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.FunctionProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.SparseTensorProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;
import java.util.function.Consumer;

/**
 * Walks every graph of a model: the main graph (depth 0) and the bodies of control-flow nodes
 * (If/Loop/Scan attributes of type GRAPH/GRAPHS, depth 1, 2, …), plus model-local functions.
 */
final class OnnxGraphs {
    private OnnxGraphs() {
    }

    /** A graph and how deeply it is nested (0 for the main graph). */
    record Nested(GraphProto graph, int depth) {
    }

    /** Calls {@code visitor} for the main graph and every subgraph, parents first. */
    static void forEachGraph(ModelProto model, Consumer<Nested> visitor) {
        if (model.hasGraph()) {
            visit(model.getGraph(), 0, visitor);
        }
        for (FunctionProto f : model.getFunctionsList()) {
            for (NodeProto n : f.getNodeList()) {
                subgraphs(n, 1, visitor);
            }
        }
    }

    private static void visit(GraphProto graph, int depth, Consumer<Nested> visitor) {
        visitor.accept(new Nested(graph, depth));
        for (NodeProto n : graph.getNodeList()) {
            subgraphs(n, depth + 1, visitor);
        }
    }

    private static void subgraphs(NodeProto node, int depth, Consumer<Nested> visitor) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.hasG()) {
                visit(a.getG(), depth, visitor);
            }
            for (GraphProto g : a.getGraphsList()) {
                visit(g, depth, visitor);
            }
        }
    }

    /** Every node: of all graphs and subgraphs, and of model-local functions. */
    static void forEachNode(ModelProto model, Consumer<NodeProto> visitor) {
        forEachGraph(model, nested -> nested.graph().getNodeList().forEach(visitor));
        for (FunctionProto f : model.getFunctionsList()) {
            f.getNodeList().forEach(visitor);
        }
    }

    /**
     * Every tensor a model stores: initializers and sparse initializers of every graph, and tensors in
     * node attributes (Constant values and any other tensor-valued attribute), functions included.
     */
    static void forEachTensor(ModelProto model, Consumer<TensorProto> visitor) {
        forEachGraph(model, nested -> {
            nested.graph().getInitializerList().forEach(visitor);
            for (SparseTensorProto s : nested.graph().getSparseInitializerList()) {
                sparse(s, visitor);
            }
        });
        forEachNode(model, node -> {
            for (AttributeProto a : node.getAttributeList()) {
                if (a.hasT()) {
                    visitor.accept(a.getT());
                }
                a.getTensorsList().forEach(visitor);
                if (a.hasSparseTensor()) {
                    sparse(a.getSparseTensor(), visitor);
                }
                for (SparseTensorProto s : a.getSparseTensorsList()) {
                    sparse(s, visitor);
                }
            }
        });
    }

    private static void sparse(SparseTensorProto s, Consumer<TensorProto> visitor) {
        if (s.hasValues()) {
            visitor.accept(s.getValues());
        }
        if (s.hasIndices()) {
            visitor.accept(s.getIndices());
        }
    }

    /** Elements of a tensor: the product of its dims (1 for a scalar), saturating at Long.MAX_VALUE. */
    static long elements(List<Long> dims) {
        long n = 1;
        for (long d : dims) {
            if (d <= 0) {
                return 0;
            }
            n = n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
        }
        return n;
    }

    /** "" for the default domain (also spelled "ai.onnx"), else the domain as written. */
    static String normalDomain(String domain) {
        return "ai.onnx".equals(domain) ? "" : domain;
    }
}
