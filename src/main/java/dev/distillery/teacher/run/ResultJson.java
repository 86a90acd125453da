package dev.distillery.teacher.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distillery.model.Prediction;

/**
 * A {@link Prediction} as compact JSON for the CLI's {@code --json} output.
 * <pre>
 * {"task":"classification","top":[{"index":3,"label":"tench","score":0.91}]}
 * {"task":"detection","boxes":[{"label":"bus","score":0.9,"x1":..,"y1":..,"x2":..,"y2":..}]}
 * {"task":"dense","map":{"width":640,"height":480,"mean":0.05,"max":0.99,"coverage":0.04}}
 * {"task":"embedding","dim":512,"vector":[...]}
 * </pre>
 * {@code coverage} is the fraction of pixels above 0.5. Thread-safe.
 */
public final class ResultJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultJson() {
    }

    /** The prediction as one line of JSON. */
    public static String toJson(Prediction prediction) {
        ObjectNode root = MAPPER.createObjectNode();
        if (prediction instanceof Prediction.Classification c) {
            root.put("task", "classification");
            ArrayNode top = root.putArray("top");
            for (Prediction.Scored s : c.top()) {
                top.addObject().put("index", s.classIndex()).put("label", s.label()).put("score", round(s.score()));
            }
        } else if (prediction instanceof Prediction.Detections d) {
            root.put("task", "detection");
            ArrayNode boxes = root.putArray("boxes");
            for (Prediction.Box b : d.boxes()) {
                boxes.addObject().put("label", b.label()).put("index", b.classIndex()).put("score", round(b.score()))
                        .put("x1", round(b.x1())).put("y1", round(b.y1()))
                        .put("x2", round(b.x2())).put("y2", round(b.y2()));
            }
        } else if (prediction instanceof Prediction.DenseMap m) {
            root.put("task", "dense");
            double sum = 0;
            float max = 0;
            long above = 0;
            for (float v : m.values()) {
                sum += v;
                max = Math.max(max, v);
                if (v > 0.5f) {
                    above++;
                }
            }
            int n = Math.max(1, m.values().length);
            root.putObject("map").put("width", m.width()).put("height", m.height())
                    .put("mean", round(sum / n)).put("max", round(max)).put("coverage", round((double) above / n));
        } else if (prediction instanceof Prediction.Embedding e) {
            root.put("task", "embedding");
            root.put("dim", e.vector().length);
            ArrayNode v = root.putArray("vector");
            for (float f : e.vector()) {
                v.add(f);
            }
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("Cannot write JSON", ex);
        }
    }

    /** Four decimals are plenty for scores and pixels, and keep the output short. */
    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
