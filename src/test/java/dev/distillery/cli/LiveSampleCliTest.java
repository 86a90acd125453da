package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distillery live --source sample}: the clip that ships with the app, on a machine with no camera or files. */
class LiveSampleCliTest {
    @TempDir
    Path dir;

    @Test
    void theShippedClipPlaysThroughAModel() throws Exception {
        Path model = TinyModels.colourClassifier(dir.resolve("colour.onnx"));
        Path data = dir.resolve("data");
        CliTest.Result r = CliTest.run("--data-dir", data.toString(), "live", "--source", "sample", "--model",
                model.toString(), "--frames", "12", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(data.resolve("samples").resolve("sample-clip.mp4")).isRegularFile();
        assertThat(Files.size(data.resolve("samples").resolve("sample-clip.mp4"))).isPositive();
        assertThat(r.out()).contains("sample-clip.mp4").contains("\"framesDecoded\"");
        assertThat(r.out()).doesNotContain("\"framesDecoded\":0,");
    }
}
