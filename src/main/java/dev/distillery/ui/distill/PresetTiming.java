package dev.distillery.ui.distill;

import dev.distillery.distill.PresetFit;
import dev.distillery.distill.StudentSpec;
import dev.distillery.network.score.Challenge;
import dev.distillery.ui.common.Background;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.concurrent.Task;

/**
 * The wizard's Student step times its presets on this machine against the challenge's latency budget, off the FX
 * thread, and remembers the figures per input shape so going back and forth does not time them again. A newer
 * request cancels the one running.
 */
final class PresetTiming {
    private final Map<String, PresetFit.Fit> known = new HashMap<>();
    private Task<List<PresetFit.Fit>> running;

    private static String key(StudentSpec s) {
        return s.name() + "@" + s.inputWidth() + "x" + s.inputHeight();
    }

    /** A measured figure, or null while not yet known. */
    PresetFit.Fit fit(StudentSpec s) {
        return known.get(key(s));
    }

    /**
     * Times the presets not yet known; {@code done} gets all fits (FX thread) when finished. Failures only cost the
     * hint: the wizard works without it.
     */
    void measure(List<StudentSpec> specs, double budgetMs, Consumer<List<PresetFit.Fit>> done) {
        if (running != null) {
            running.cancel();
        }
        List<StudentSpec> todo = specs.stream().filter(s -> !known.containsKey(key(s))).toList();
        Task<List<PresetFit.Fit>> t = new Task<>() {
            @Override
            protected List<PresetFit.Fit> call() {
                return PresetFit.measure(todo, budgetMs, Challenge.THREADS, this::isCancelled);
            }
        };
        t.setOnSucceeded(e -> {
            for (PresetFit.Fit f : t.getValue()) {
                known.put(key(f.spec()), f);
            }
            done.accept(specs.stream().map(this::fit).filter(java.util.Objects::nonNull)
                    .map(f -> new PresetFit.Fit(f.spec(), f.p95Ms(), budgetMs)).toList());
        });
        running = t;
        Background.run(t);
    }
}
