package dev.distillery.live;

import dev.distillery.metrics.BoxMatching;
import dev.distillery.metrics.ClassMapping;
import dev.distillery.metrics.MapIou;
import dev.distillery.model.Prediction;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much two models agree, per frame and as a rolling rate over their last {@link #WINDOW} commonly
 * processed frames, with the definitions of {@link dev.distillery.metrics}:
 *
 * <ul>
 *   <li>classification: 1 when the two classes are the same, else 0, so the rate is the agreement
 *       {@code distillery compare} gives on the same frames. When one model is a grouped student of the other
 *       ({@link Setup#teacher()} with a {@link Setup#mapping()}), the teacher's probabilities are first mapped
 *       to the student's classes ({@link ClassMapping#studentClass}), exactly as compare does;</li>
 *   <li>dense: the IoU of the two maps binarized at {@link Setup#mapThreshold()} ({@link MapIou}), so the rate
 *       is compare's mean per-image IoU;</li>
 *   <li>detection: F1 of the greedy same-class box matching at IoU ≥ 0.5 ({@link BoxMatching}), averaged over
 *       frames as {@code distillery compare} does; a grouped detector student's teacher's boxes are first mapped to
 *       the student's classes and those of no group dropped.</li>
 * </ul>
 * Predictions of different kinds, and embeddings, have no agreement ({@code NaN}) and are not counted.
 *
 * <p><b>Thread-safety:</b> the static methods are pure; an instance is thread-safe (synchronized), so both
 * workers can {@link #record} into it.
 */
public final class Agreement {
    /** The name class groups give the teacher's classes in no group (ClassGroups.OTHER; live cannot see distill). */
    private static final String OTHER = "other";
    /** Common frames the rolling rate covers. */
    public static final int WINDOW = 100;
    /** Predictions kept per model while waiting for the other model to reach the same frame. */
    private static final int PENDING = 64;

    /**
     * How to compare the two models.
     *
     * @param teacher      the model (0 or 1) whose classes are mapped through {@code mapping}; −1 for none
     * @param mapping      the teacher's classes → the student's (a grouped student); null to compare classes as they are
     * @param mapThreshold dense maps are binarized at this probability
     */
    public record Setup(int teacher, ClassMapping mapping, double mapThreshold) {
        public Setup {
            if (mapping != null && teacher != 0 && teacher != 1) {
                throw new IllegalArgumentException("A class mapping needs the teacher's model index (0 or 1), got "
                        + teacher);
            }
            if (!(mapThreshold > 0 && mapThreshold < 1)) {
                throw new IllegalArgumentException("The map threshold must be between 0 and 1, got " + mapThreshold);
            }
        }

        /** Classes as they are, maps at {@link MapIou#DEFAULT_THRESHOLD}. */
        public static Setup plain() {
            return new Setup(-1, null, MapIou.DEFAULT_THRESHOLD);
        }
    }

    private final Setup setup;
    private final List<Map<Long, Object>> recent = List.of(lru(), lru());
    private final double[] window = new double[WINDOW];
    private int size;
    private int next;
    private double sum;

    public Agreement() {
        this(Setup.plain());
    }

    public Agreement(Setup setup) {
        this.setup = setup;
    }

    public Setup setup() {
        return setup;
    }

    private static Map<Long, Object> lru() {
        return new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Object> eldest) {
                return size() > PENDING;
            }
        };
    }

    /** Records model {@code model}'s (0 or 1) answer on a frame; scores it when the other model has one too. */
    public synchronized void record(int model, long frameNumber, Prediction prediction) {
        Object mine = compact(model, prediction);
        Object theirs = recent.get(1 - model).remove(frameNumber);
        if (theirs == null) {
            recent.get(model).put(frameNumber, mine);
            return;
        }
        double score = scoreCompact(mine, theirs);
        if (Double.isNaN(score)) {
            return;
        }
        if (size == WINDOW) {
            sum -= window[next];
        } else {
            size++;
        }
        window[next] = score;
        sum += score;
        next = (next + 1) % WINDOW;
    }

    /** The rolling agreement rate in [0, 1], or NaN before the first common frame. */
    public synchronized double rate() {
        return size == 0 ? Double.NaN : sum / size;
    }

    /** Common frames behind {@link #rate()}. */
    public synchronized int samples() {
        return size;
    }

    /** The agreement of two predictions on the same frame under {@link Setup#plain()}, or NaN when not comparable. */
    public static double score(Prediction a, Prediction b) {
        Agreement plain = new Agreement();
        return scoreCompact(plain.compact(0, a), plain.compact(1, b));
    }

    /** A binarized dense map: small to keep, enough to compare. */
    private record Mask(int width, int height, BitSet on) {
    }

    /** A class answer; -1 for an empty top list. */
    private record ClassAnswer(int classIndex) {
    }

    /** Keeps only what agreement needs, so waiting predictions stay small (a dense map becomes bits). */
    private Object compact(int model, Prediction p) {
        if (p instanceof Prediction.DenseMap d) {
            return new Mask(d.width(), d.height(), MapIou.binarize(d.values(), setup.mapThreshold()));
        }
        if (p instanceof Prediction.Classification c) {
            ClassMapping m = setup.mapping();
            if (m != null && model == setup.teacher()) {
                if (c.probabilities() != null && c.probabilities().length == m.teacherClasses()) {
                    return new ClassAnswer(m.studentClass(c.probabilities()));
                }
                // no full distribution: the group of the teacher's top class
                return new ClassAnswer(c.top().isEmpty() ? -1 : m.studentClassOf(c.top().get(0).classIndex()));
            }
            return new ClassAnswer(c.top().isEmpty() ? -1 : c.top().get(0).classIndex());
        }
        if (p instanceof Prediction.Detections d) {
            // a detector student's teacher: its classes through the student's groups, boxes of no group dropped
            ClassMapping m = model == setup.teacher() ? setup.mapping() : null;
            List<BoxMatching.Box> boxes = new ArrayList<>(d.boxes().size());
            for (Prediction.Box b : d.boxes()) {
                int c = b.classIndex();
                if (m != null) {
                    c = c >= 0 && c < m.teacherClasses() ? m.studentClassOf(c) : -1;
                    if (c < 0 || OTHER.equals(m.names().get(c))) {
                        continue;
                    }
                }
                boxes.add(new BoxMatching.Box(b.x1(), b.y1(), b.x2(), b.y2(), c, b.score()));
            }
            return boxes;
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    private static double scoreCompact(Object a, Object b) {
        if (a instanceof ClassAnswer ca && b instanceof ClassAnswer cb) {
            return ca.classIndex() == cb.classIndex() ? 1 : 0;
        }
        if (a instanceof Mask ma && b instanceof Mask mb) {
            if (ma.width() != mb.width() || ma.height() != mb.height()) {
                return 0;
            }
            return MapIou.iou(ma.on(), mb.on());
        }
        if (a instanceof List<?> da && b instanceof List<?> db) {
            return BoxMatching.f1((List<BoxMatching.Box>) da, (List<BoxMatching.Box>) db);
        }
        return Double.NaN;
    }
}
