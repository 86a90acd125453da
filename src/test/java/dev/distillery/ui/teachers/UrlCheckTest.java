package dev.distillery.ui.teachers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The URL dialog refuses what cannot work before anything is downloaded. */
class UrlCheckTest {
    static final String SHA = "83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f";

    @Test
    void acceptsHttpAndHttpsWithOrWithoutAChecksum() {
        assertThat(TeachersView.urlProblem("https://example.org/models/m.onnx", "")).isNull();
        assertThat(TeachersView.urlProblem(" http://127.0.0.1:8080/m.onnx ", SHA.toUpperCase())).isNull();
    }

    @Test
    void explainsWhatIsWrong() {
        assertThat(TeachersView.urlProblem("ftp://example.org/m.onnx", "")).contains("http");
        assertThat(TeachersView.urlProblem("example.org/m.onnx", "")).contains("http");
        assertThat(TeachersView.urlProblem("https://exa mple.org/m.onnx", "")).contains("not a valid address");
        assertThat(TeachersView.urlProblem("https://example.org/m.onnx", "abc123")).contains("64 hexadecimal");
    }
}
