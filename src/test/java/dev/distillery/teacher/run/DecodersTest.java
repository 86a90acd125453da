package dev.distillery.teacher.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distillery.model.DetectionLayout;
import dev.distillery.model.Prediction;
import dev.distillery.model.TeacherException;
import dev.distillery.vision.Transform;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoders on hand-made tensors. */
class DecodersTest {
    private static final List<String> NAMES = List.of("cat", "dog", "bird");

    private static String label(int i) {
        return i < NAMES.size() ? NAMES.get(i) : "class " + i;
    }

    @Test
    void softmaxTopKIsOrderedAndSumsToOne() {
        Prediction.Classification c = ClassificationDecoder.decode(new float[] {1f, 3f, 2f}, false, 5,
                DecodersTest::label);
        assertThat(c.top()).extracting(Prediction.Scored::label).containsExactly("dog", "bird", "cat");
        assertThat(c.top()).extracting(Prediction.Scored::classIndex).containsExactly(1, 2, 0);
        double sum = c.top().stream().mapToDouble(Prediction.Scored::score).sum();
        assertThat(sum).isCloseTo(1.0, within(1e-6));
        // e^3 / (e^1 + e^2 + e^3)
        assertThat((double) c.top().get(0).score()).isCloseTo(0.66524, within(1e-5));
        assertThat(ClassificationDecoder.softmax(new float[] {1000f, 1000f})).containsExactly(0.5f, 0.5f);
    }

    @Test
    void probabilitiesAreKeptAndKLimitsTheList() {
        Prediction.Classification c = ClassificationDecoder.decode(new float[] {0.1f, 0.2f, 0.7f}, true, 2,
                DecodersTest::label);
        assertThat(c.top()).containsExactly(new Prediction.Scored(2, "bird", 0.7f), new Prediction.Scored(1, "dog", 0.2f));
    }

    /** 64×64 input, strides 8/16/32: 64 + 16 + 4 = 84 rows of (x, y, w, h, obj, 2 classes). */
    @Test
    void yoloxGridDecodeFindsTheHotCell() {
        int rows = 64 + 16 + 4;
        float[] out = new float[rows * 7];
        // Stride 16 level starts at row 64; cell (gx 2, gy 1) is row 64 + 1·4 + 2.
        int r = 64 + 4 + 2;
        set(out, 7, r, 0.5f, 0.5f, (float) Math.log(2), 0f, 0.9f, 0.1f, 0.8f);
        Prediction.Detections d = DetectionDecoder.defaults().decode(out, rows, 7, DetectionLayout.ROWS_GRID,
                List.of(8, 16, 32), Transform.identity(64, 64), DecodersTest::label);
        assertThat(d.boxes()).hasSize(1);
        Prediction.Box b = d.boxes().get(0);
        // cx = (0.5 + 2)·16 = 40, cy = (0.5 + 1)·16 = 24, w = 2·16 = 32, h = 1·16 = 16
        assertThat(b.x1()).isCloseTo(24f, within(1e-4f));
        assertThat(b.y1()).isCloseTo(16f, within(1e-4f));
        assertThat(b.x2()).isCloseTo(56f, within(1e-4f));
        assertThat(b.y2()).isCloseTo(32f, within(1e-4f));
        assertThat(b.label()).isEqualTo("dog");
        assertThat(b.score()).isCloseTo(0.72f, within(1e-6f));
    }

    @Test
    void gridDecodeUndoesTheLetterbox() {
        int rows = 84;
        float[] out = new float[rows * 7];
        set(out, 7, 70, 0.5f, 0.5f, (float) Math.log(2), 0f, 0.9f, 0.1f, 0.8f);
        // A 128×64 image letterboxed (centre) into 64×64: scale 0.5, 16 px of padding on top.
        Transform t = new Transform(128, 64, 64, 64, 0.5, 0.5, 0, 16);
        Prediction.Box b = DetectionDecoder.defaults().decode(out, rows, 7, DetectionLayout.ROWS_GRID, List.of(),
                t, DecodersTest::label).boxes().get(0);
        assertThat(new float[] {b.x1(), b.y1(), b.x2(), b.y2()}).containsExactly(new float[] {48, 0, 112, 32},
                within(1e-3f));
    }

    @Test
    void gridSizeMismatchIsExplained() {
        assertThatThrownBy(() -> DetectionDecoder.defaults().decode(new float[80 * 7], 80, 7,
                DetectionLayout.ROWS_GRID, List.of(8, 16, 32), Transform.identity(64, 64), DecodersTest::label))
                .isInstanceOf(TeacherException.class).hasMessageContaining("84");
    }

    @Test
    void rowsDecodedUseObjectnessTimesClassScoreAndClip() {
        float[] out = new float[3 * 7];
        set(out, 7, 0, 20, 20, 10, 10, 0.9f, 0.1f, 0.9f);   // dog 0.81
        set(out, 7, 1, 50, 50, 10, 10, 0.4f, 0.5f, 0.1f);   // cat 0.2 < 0.25: dropped
        set(out, 7, 2, 62, 5, 10, 20, 0.5f, 0.6f, 0.1f);    // cat 0.3, clipped at the right and top
        Prediction.Detections d = DetectionDecoder.defaults().decode(out, 3, 7, DetectionLayout.ROWS_DECODED, List.of(),
                Transform.identity(64, 64), DecodersTest::label);
        assertThat(d.boxes()).hasSize(2);
        assertThat(d.boxes().get(0)).isEqualTo(new Prediction.Box(15, 15, 25, 25, 1, "dog", 0.9f * 0.9f));
        Prediction.Box clipped = d.boxes().get(1);
        assertThat(clipped.label()).isEqualTo("cat");
        assertThat(clipped.x2()).isEqualTo(64f);
        assertThat(clipped.y1()).isEqualTo(0f);
        assertThat(clipped.x1()).isEqualTo(57f);
        assertThat(DetectionDecoder.defaults().withScoreThreshold(0.1f).decode(out, 3, 7, DetectionLayout.ROWS_DECODED,
                List.of(), Transform.identity(64, 64), DecodersTest::label).boxes()).hasSize(3);
    }

    @Test
    void columnsLayoutHasNoObjectness() {
        // [4 + 3, N = 2]: attribute-major
        int n = 2;
        float[] out = new float[7 * n];
        float[][] boxes = {{30, 30, 20, 10, 0.05f, 0.1f, 0.6f}, {10, 10, 4, 4, 0.2f, 0.1f, 0.1f}};
        for (int a = 0; a < n; a++) {
            for (int k = 0; k < 7; k++) {
                out[k * n + a] = boxes[a][k];
            }
        }
        Prediction.Detections d = DetectionDecoder.defaults().decode(out, 7, n, DetectionLayout.COLUMNS, List.of(),
                Transform.identity(64, 64), DecodersTest::label);
        assertThat(d.boxes()).containsExactly(new Prediction.Box(20, 25, 40, 35, 2, "bird", 0.6f));
    }

    @Test
    void nmsIsClassAware() {
        float[] out = new float[4 * 7];
        set(out, 7, 0, 20, 20, 20, 20, 1f, 0.9f, 0f);  // cat 0.9
        set(out, 7, 1, 21, 21, 20, 20, 1f, 0.8f, 0f);  // cat 0.8, IoU ≈ 0.82 with the first: suppressed
        set(out, 7, 2, 21, 21, 20, 20, 1f, 0f, 0.7f);  // dog 0.7 at the same place: kept
        set(out, 7, 3, 50, 50, 10, 10, 1f, 0.6f, 0f);  // cat 0.6 elsewhere: kept
        Prediction.Detections d = DetectionDecoder.defaults().decode(out, 4, 7, DetectionLayout.ROWS_DECODED, List.of(),
                Transform.identity(64, 64), DecodersTest::label);
        assertThat(d.boxes()).extracting(Prediction.Box::label, Prediction.Box::score)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cat", 0.9f),
                        org.assertj.core.groups.Tuple.tuple("dog", 0.7f),
                        org.assertj.core.groups.Tuple.tuple("cat", 0.6f));
        DetectionDecoder one = new DetectionDecoder(0.25f, 0.45f, 1);
        assertThat(one.decode(out, 4, 7, DetectionLayout.ROWS_DECODED, List.of(), Transform.identity(64, 64),
                DecodersTest::label).boxes()).hasSize(1);
    }

    @Test
    void denseMapIsResizedBackToTheImage() {
        // 4×4 map of an 8×8 input that was stretched from a 16×8 image; left half 0, right half 1.
        float[] map = new float[16];
        for (int y = 0; y < 4; y++) {
            map[y * 4 + 2] = 1;
            map[y * 4 + 3] = 1;
        }
        Transform t = new Transform(16, 8, 8, 8, 0.5, 1, 0, 0);
        Prediction.DenseMap d = DenseDecoder.decode(map, 4, 4, true, t);
        assertThat(d.width()).isEqualTo(16);
        assertThat(d.height()).isEqualTo(8);
        assertThat(d.values()).hasSize(128);
        for (int y = 0; y < 8; y++) {
            assertThat(d.values()[y * 16]).isZero();
            assertThat(d.values()[y * 16 + 5]).isZero();
            assertThat(d.values()[y * 16 + 10]).isEqualTo(1f);
            assertThat(d.values()[y * 16 + 15]).isEqualTo(1f);
            assertThat(d.values()[y * 16 + 7]).isBetween(0.2f, 0.8f);
        }
    }

    @Test
    void denseMapDropsTheLetterboxPaddingAndAppliesSigmoid() {
        // 8×4 image letterboxed top-left into 8×8; the map has logit +20 on the image rows, −20 on the padding.
        float[] logits = new float[2 * 64];
        for (int i = 0; i < 64; i++) {
            logits[i] = i < 32 ? 20 : -20;
            logits[64 + i] = 99; // channel 1 is ignored
        }
        Transform t = new Transform(8, 4, 8, 8, 1, 1, 0, 0);
        Prediction.DenseMap d = DenseDecoder.decode(logits, 8, 8, false, t);
        assertThat(d.width()).isEqualTo(8);
        assertThat(d.height()).isEqualTo(4);
        for (float v : d.values()) {
            assertThat(v).isCloseTo(1f, within(1e-6f));
        }
        Prediction.DenseMap half = DenseDecoder.decode(new float[4], 2, 2, false, Transform.identity(2, 2));
        assertThat(half.values()).containsOnly(0.5f);
    }

    @Test
    void resultJsonIsCompact() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode cls = json.readTree(ResultJson.toJson(new Prediction.Classification(
                List.of(new Prediction.Scored(3, "tench", 0.91234567f)))));
        assertThat(cls.get("task").asText()).isEqualTo("classification");
        assertThat(cls.at("/top/0/label").asText()).isEqualTo("tench");
        assertThat(cls.at("/top/0/index").asInt()).isEqualTo(3);
        assertThat(cls.at("/top/0/score").asDouble()).isEqualTo(0.9123);
        JsonNode det = json.readTree(ResultJson.toJson(new Prediction.Detections(
                List.of(new Prediction.Box(1, 2, 30, 40, 5, "bus", 0.8f)))));
        assertThat(det.at("/boxes/0/label").asText()).isEqualTo("bus");
        assertThat(det.at("/boxes/0/x2").asDouble()).isEqualTo(30.0);
        JsonNode map = json.readTree(ResultJson.toJson(new Prediction.DenseMap(2, 2, new float[] {0, 1, 0.6f, 0.2f})));
        assertThat(map.at("/map/width").asInt()).isEqualTo(2);
        assertThat(map.at("/map/mean").asDouble()).isEqualTo(0.45);
        assertThat(map.at("/map/max").asDouble()).isEqualTo(1.0);
        assertThat(map.at("/map/coverage").asDouble()).isEqualTo(0.5);
        assertThat(json.readTree(ResultJson.toJson(new Prediction.Embedding(new float[] {1, 2}))).get("dim").asInt())
                .isEqualTo(2);
    }

    private static void set(float[] out, int attrs, int row, float... values) {
        System.arraycopy(values, 0, out, row * attrs, values.length);
    }
}
