package dev.distillery.distill;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import dev.distillery.onnx.Latency;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Which student presets fit a latency budget on this machine, measured rather than guessed: each preset is built
 * with random weights at the run's input size, exported to ONNX and timed with the validators' own figure
 * ({@link Latency#p95}, batch 1, the challenge's threads). A student's speed does not depend on its weights, so the
 * trained one runs the same. Takes a second or two per preset.
 */
public final class PresetFit {
    /**
     * Share of the budget a pick may use: validators' CPUs and their load differ from this one, and the trained
     * student shares the machine with the evaluator's other work.
     */
    public static final double MARGIN = 0.8;

    /** One preset's measured latency against the budget. */
    public record Fit(StudentSpec spec, double p95Ms, double budgetMs) {
        public boolean fits() {
            return p95Ms <= budgetMs;
        }

        /** Within the budget with room to spare ({@link #MARGIN}): what a default pick needs. */
        public boolean comfortable() {
            return p95Ms <= MARGIN * budgetMs;
        }

        public String describe() {
            return String.format(Locale.ROOT, "p95 %.1f ms on this CPU — %s the %s ms budget", p95Ms,
                    fits() ? "within" : "over", budgetMs == Math.rint(budgetMs)
                    ? String.format(Locale.ROOT, "%.0f", budgetMs) : String.format(Locale.ROOT, "%.1f", budgetMs));
        }
    }

    private PresetFit() {
    }

    /**
     * Times every preset (stops early, returning what it has, when {@code cancelled} says so).
     *
     * @param specs    presets already sized to the run's input and outputs
     * @param threads  the threads the validators time with (the challenge's)
     */
    public static List<Fit> measure(List<StudentSpec> specs, double budgetMs, int threads, BooleanSupplier cancelled) {
        List<Fit> out = new ArrayList<>();
        for (StudentSpec s : specs) {
            if (cancelled.getAsBoolean()) {
                break;
            }
            out.add(new Fit(s, p95(s, threads), budgetMs));
        }
        return out;
    }

    /** The ONNX Runtime p95 (ms) of a preset with random weights. */
    public static double p95(StudentSpec spec, int threads) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            SequentialBlock b = StudentBuilder.build(spec);
            b.initialize(m, DataType.FLOAT32, StudentBuilder.inputShape(spec, 1));
            byte[] onnx = OnnxExporter.toOnnx(spec, StudentWeights.from(spec, b), Map.of());
            return Latency.p95(onnx, spec.inputChannels(), spec.inputHeight(), spec.inputWidth(), threads);
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException("Cannot time the preset " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The default pick: the biggest preset (most parameters, the one that can agree most) comfortably within the
     * budget; else the biggest within it; else the fastest, which then needs a smaller input or a bigger budget.
     */
    public static Fit pick(List<Fit> fits) {
        Comparator<Fit> bySize = Comparator.comparingLong(f -> f.spec().parameterCount());
        return fits.stream().filter(Fit::comfortable).max(bySize)
                .or(() -> fits.stream().filter(Fit::fits).max(bySize))
                .orElseGet(() -> fits.stream().min(Comparator.comparingDouble(Fit::p95Ms))
                        .orElseThrow(() -> new IllegalArgumentException("no preset measured")));
    }
}
