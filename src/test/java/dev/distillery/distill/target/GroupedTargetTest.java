package dev.distillery.distill.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Soft targets of a class subset drawn from a 1000-class teacher. */
class GroupedTargetTest {
    /** A 1000-class teacher: "cat" = classes 0–4, everything else "other". */
    static Target.Classes catVsRest() {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            labels.add("class " + i);
        }
        return new Target.Classes(ClassGroups.parse(List.of("cat=0-4"), labels, 1000), false);
    }

    /** Logits of a teacher that calls the image a cat with the given probability, the rest spread thinly. */
    static float[] teacherSaysCat(double pCat) {
        float[] logits = new float[1000];
        double rest = (1 - pCat) / 995;
        for (int i = 0; i < 1000; i++) {
            logits[i] = (float) Math.log(i < 5 ? pCat / 5 : rest);
        }
        return logits;
    }

    @Test
    void aSoftenedTargetKeepsTheTeachersGroup() {
        Target.Classes t = catVsRest();
        for (double pCat : new double[] {0.55, 0.7, 0.9}) {
            float[] raw = teacherSaysCat(pCat);
            assertThat(t.teacherClass(raw)).isZero();
            float[] soft = t.target(raw, 2f);
            // softening 1000 classes before grouping gave "other" 0.82–0.93 of the mass here: the student learnt
            // "other" for cats the teacher was sure of
            assertThat(soft[0]).as("cat at T=2 for a teacher at %.2f", pCat).isGreaterThan(soft[1]);
            assertThat(soft[0] + soft[1]).isCloseTo(1f, within(1e-5f));
            // softening is monotone: the order of the groups never changes, and T = 1 is the grouped teacher
            assertThat(t.target(raw, 1f)[0]).isCloseTo((float) pCat, within(1e-4f));
            assertThat(soft[0]).isLessThan(t.target(raw, 1f)[0]);
        }
    }

    @Test
    void withoutGroupsSofteningIsTheUsualTemperedSoftmax() {
        List<String> labels = List.of("a", "b", "c");
        Target.Classes t = new Target.Classes(ClassGroups.identity(labels, 3), false);
        float[] logits = {2f, 1f, -1f};
        float[] soft = t.target(logits, 2f);
        double z = Math.exp(1) + Math.exp(0.5) + Math.exp(-0.5);
        assertThat(soft[0]).isCloseTo((float) (Math.exp(1) / z), within(1e-5f));
        assertThat(soft[2]).isCloseTo((float) (Math.exp(-0.5) / z), within(1e-5f));
    }
}
