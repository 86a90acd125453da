package dev.distillery.distill;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** Named student presets. Numbers are for the default number of outputs (10 classes / 1 map). */
public final class StudentZoo {
    private static final Map<String, StudentSpec> PRESETS = new LinkedHashMap<>();

    static {
        // ≈ 27 k values at 64×64 (values = weights + biases + BatchNorm running statistics).
        add(new StudentSpec("cls-tiny", StudentTask.CLASSIFICATION, 3, 64, List.of(24, 48, 96, 160), 10));
        // ≈ 70 k values at 64×64.
        add(new StudentSpec("cls-mini", StudentTask.CLASSIFICATION, 3, 64, List.of(32, 64, 128, 128, 256), 10));
        // ≈ 210 k values at 96×96.
        add(new StudentSpec("cls-small", StudentTask.CLASSIFICATION, 3, 96,
                List.of(32, 64, 128, 128, 256, 256, 256), 10));
        // ≈ 0.94 M values at 160×160.
        add(new StudentSpec("cls-base", StudentTask.CLASSIFICATION, 3, 160,
                List.of(32, 64, 128, 256, 256, 512, 512, 768), 10));
        // ≈ 27 k values at 320×320, output [N, 1, 320, 320] logits.
        add(new StudentSpec("dense-tiny", StudentTask.DENSE, 3, 320, List.of(16, 32, 64, 128), 1));
        // dense-small whose decoder stops at 1/2 resolution, the logit map upsampled 2× (nearest). On 2 EPYC cores
        // p95 2.7 ms against dense-small's 3.9, and it trains 6× faster (39 against 6.5 samples/s: the
        // full-resolution tail dominates backward passes too), so 2 minutes reach IoU 0.63 against 0.37. Listed
        // before dense-small, so an equal-size pick (PresetFit.pick) takes it; the map is blocky at 2×2 pixels.
        add(new StudentSpec("dense-fast", StudentTask.DENSE, 3, 320, 320, List.of(16, 32, 64, 128, 160), 1, 2));
        // ≈ 72 k values at 320×320; one more stage (1/32) for a wider receptive field.
        add(new StudentSpec("dense-small", StudentTask.DENSE, 3, 320, List.of(16, 32, 64, 128, 160), 1));
    }

    static {
        // Detectors (one class by default; outputs follow the --group list): encoder to stride 16 or 32, decoder back
        // to a stride-8 grid, 3×3 head to classes + 4 box maps. Input multiples of 32.
        add(new StudentSpec("det-tiny", StudentTask.DETECTION, 3, 256, 256,
                List.of(16, 32, 48, 64, 64, 112, 112), 1));
        add(new StudentSpec("det-small", StudentTask.DETECTION, 3, 320, 320,
                List.of(16, 32, 64, 64, 128, 128, 192, 192), 1));
        add(new StudentSpec("det-base", StudentTask.DETECTION, 3, 416, 416,
                List.of(24, 48, 96, 96, 160, 160, 320, 320, 320), 1));
    }

    private StudentZoo() {
    }

    private static void add(StudentSpec spec) {
        PRESETS.put(spec.name(), spec);
    }

    public static List<StudentSpec> presets() {
        return List.copyOf(PRESETS.values());
    }

    /** The task of preset {@code name}; a name no longer in the zoo (a run from an older version) reads as a classifier. */
    public static StudentTask taskOf(String name) {
        try {
            return preset(name).kind();
        } catch (RuntimeException unknown) {
            return StudentTask.CLASSIFICATION;
        }
    }

    public static StudentSpec preset(String name) {
        StudentSpec s = PRESETS.get(name);
        if (s == null) {
            throw new NoSuchElementException("no student preset '" + name + "'; known: " + PRESETS.keySet());
        }
        return s;
    }
}
