package dev.distillery.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The native runtimes load on this machine, offline, and report their own versions. */
class RuntimeVersionsTest {
    @Test
    void everyRuntimeLoadsAndReportsAVersion() {
        List<RuntimeVersions.Entry> all = RuntimeVersions.probeAll();
        assertThat(all).extracting(RuntimeVersions.Entry::name)
                .containsExactly("Java", "JavaFX", "ONNX Runtime", "PyTorch", "OpenCV", "FFmpeg");
        for (RuntimeVersions.Entry e : all) {
            assertThat(e.available()).as(e.name() + ": " + e.problem()).isTrue();
        }
        assertThat(RuntimeVersions.onnxRuntime().version()).startsWith("1.");
        assertThat(RuntimeVersions.pyTorch().version()).startsWith("2.7.1").contains("DJL 0.36.0");
        assertThat(RuntimeVersions.openCv().version()).startsWith("4.");
        assertThat(RuntimeVersions.javaFx().version()).startsWith("21.");
        assertThat(RuntimeVersions.ffmpeg().version()).isNotBlank();
    }
}
