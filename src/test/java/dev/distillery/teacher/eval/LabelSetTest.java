package dev.distillery.teacher.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillery.model.TeacherException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelSetTest {
    @TempDir
    Path dir;

    @Test
    void readsTextOnePerLine() throws Exception {
        Path f = Files.writeString(dir.resolve("coco.names"), "person\nbicycle\n\ncar\n");
        LabelSet l = LabelSet.read(f);
        assertThat(l.names()).containsExactly("person", "bicycle", "car");
        assertThat(l.ids()).containsOnly("");
    }

    @Test
    void readsIndexIdNameTsvInIndexOrder() throws Exception {
        Path f = Files.writeString(dir.resolve("l.tsv"), "1\tn02\tgold_fish\n0\tn01\ttench\n");
        LabelSet l = LabelSet.read(f);
        assertThat(l.names()).containsExactly("tench", "gold fish");
        assertThat(l.ids()).containsExactly("n01", "n02");
    }

    @Test
    void groundTruthFromFileNamePrefixOrFolder() throws Exception {
        LabelSet l = LabelSet.read(Files.writeString(dir.resolve("l.tsv"), "0\tn01440764\ttench\n1\tn01443537\tgoldfish\n"));
        assertThat(l.truthFor(Path.of("imgs/n01443537_goldfish.JPEG"))).contains(1);
        assertThat(l.truthFor(Path.of("imgs/tench/photo1.jpg"))).contains(0);
        assertThat(l.truthFor(Path.of("imgs/random.jpg"))).isEmpty();
    }

    @Test
    void emptyOrMissingFilesAreExplained() throws Exception {
        assertThatThrownBy(() -> LabelSet.read(Files.writeString(dir.resolve("e.txt"), "\n\n")))
                .isInstanceOf(TeacherException.class).hasMessageContaining("no labels");
        assertThatThrownBy(() -> LabelSet.read(dir.resolve("missing.txt")))
                .isInstanceOf(TeacherException.class).hasMessageContaining("Cannot read the labels file");
    }
}
