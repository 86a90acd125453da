package dev.distillery.distill.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distillery.distill.KdTrainer;
import dev.distillery.distill.StudentLayer;
import dev.distillery.distill.StudentSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The hand-over to {@code benchmarks/torch_reference.py}: a {@link StudentSpec}'s flat layer list and the
 * trainer's settings as one JSON object, so the Python reference builds the same network without a
 * second copy of the student zoo.
 *
 * <p>Layer objects: {@code conv(in, out, kernel, stride, groups, bias)}, {@code batchnorm(channels, eps,
 * momentum)}, {@code relu}, {@code upsample_nearest_2x}, {@code global_avg_pool}, {@code dense(in, out)}.
 */
public final class StudentJson {
    /**
     * PyTorch's BatchNorm momentum (weight of the batch statistic) for DJL's 0.9 (weight of the running
     * value) that {@code StudentBuilder} uses.
     */
    static final double TORCH_BN_MOMENTUM = 0.1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StudentJson() {
    }

    /** The float as written in Java (3e-3f → 0.003, not 0.0030000000260770321). */
    private static double exact(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    /** One layer as a JSON object. */
    static ObjectNode layer(StudentLayer layer) {
        ObjectNode o = MAPPER.createObjectNode();
        if (layer instanceof StudentLayer.Conv c) {
            o.put("type", "conv").put("in", c.in()).put("out", c.out()).put("kernel", c.kernel())
                    .put("stride", c.stride()).put("groups", c.groups()).put("bias", c.bias());
        } else if (layer instanceof StudentLayer.BatchNorm b) {
            o.put("type", "batchnorm").put("channels", b.channels()).put("eps", exact(b.epsilon()))
                    .put("momentum", TORCH_BN_MOMENTUM);
        } else if (layer instanceof StudentLayer.Relu) {
            o.put("type", "relu");
        } else if (layer instanceof StudentLayer.UpsampleNearest2x) {
            o.put("type", "upsample_nearest_2x");
        } else if (layer instanceof StudentLayer.GlobalAvgPool) {
            o.put("type", "global_avg_pool");
        } else if (layer instanceof StudentLayer.Dense d) {
            o.put("type", "dense").put("in", d.in()).put("out", d.out());
        } else {
            throw new IllegalArgumentException("no JSON form for " + layer);
        }
        return o;
    }

    /** The inverse of {@link #layer}. */
    static StudentLayer layer(JsonNode o) {
        String type = o.path("type").asText();
        return switch (type) {
            case "conv" -> new StudentLayer.Conv(o.get("in").asInt(), o.get("out").asInt(), o.get("kernel").asInt(),
                    o.get("stride").asInt(), o.get("groups").asInt(), o.get("bias").asBoolean());
            case "batchnorm" -> new StudentLayer.BatchNorm(o.get("channels").asInt(), (float) o.get("eps").asDouble());
            case "relu" -> new StudentLayer.Relu();
            case "upsample_nearest_2x" -> new StudentLayer.UpsampleNearest2x();
            case "global_avg_pool" -> new StudentLayer.GlobalAvgPool();
            case "dense" -> new StudentLayer.Dense(o.get("in").asInt(), o.get("out").asInt());
            default -> throw new IllegalArgumentException("unknown layer type '" + type + "'");
        };
    }

    /** The layer list of a reference job, parsed back (tests; a check that nothing is lost). */
    public static List<StudentLayer> layers(String json) {
        try {
            List<StudentLayer> out = new ArrayList<>();
            for (JsonNode n : MAPPER.readTree(json).get("layers")) {
                out.add(layer(n));
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a reference job: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The whole job for the reference: student, data shapes, loss, optimizer and timing settings.
     *
     * @param seconds time budget for the timed epochs (after one warm-up epoch)
     */
    public static String job(StudentSpec spec, KdTrainer.Config config, int samples, int threads, double seconds) {
        if (spec.kind().torchReferenceKind() == null) {
            throw new IllegalArgumentException(spec.name() + " is a " + spec.kind().word() + ": the PyTorch reference "
                    + "(benchmarks/torch_reference.py) trains classifiers and dense maps only");
        }
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", spec.name());
        o.put("kind", spec.kind().torchReferenceKind());
        o.putArray("input_shape").add(spec.inputChannels()).add(spec.inputSize()).add(spec.inputSize());
        ArrayNode out = o.putArray("output_shape");
        for (long d : spec.outputShape()) {
            out.add(d);
        }
        ArrayNode layers = o.putArray("layers");
        spec.layers().forEach(l -> layers.add(layer(l)));
        o.put("params", spec.parameterCount());
        o.put("batch", config.batchSize());
        o.put("samples", samples);
        o.put("learning_rate", exact(config.learningRate()));
        o.put("weight_decay", exact(config.weightDecay()));
        o.put("temperature", exact(config.temperature()));
        o.put("seed", config.seed());
        o.put("threads", threads);
        o.put("interop_threads", 1);
        o.put("warmup_epochs", 1);
        o.put("seconds", seconds);
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
