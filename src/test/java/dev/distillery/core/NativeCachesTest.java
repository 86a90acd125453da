package dev.distillery.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeCachesTest {
    @TempDir
    Path tmp;

    @Test
    void everyCacheGoesUnderTheDataDirectorysNativesFolder() {
        Path data = tmp.resolve("data");
        Properties props = new Properties();
        Map<String, String> set = NativeCaches.apply(data, Map.of(), props);

        assertThat(props.getProperty("DJL_CACHE_DIR")).isEqualTo(data.resolve("natives/djl").toString());
        assertThat(props.getProperty("org.bytedeco.javacpp.cachedir"))
                .isEqualTo(data.resolve("natives/javacpp").toString());
        assertThat(props.getProperty("javafx.cachedir")).isEqualTo(data.resolve("natives/openjfx").toString());
        assertThat(set).hasSize(3);
        assertThat(data).as("nothing is created until a library unpacks").doesNotExist();
    }

    @Test
    void aLocationTheUserChoseIsKept() {
        Properties props = new Properties();
        props.setProperty("org.bytedeco.javacpp.cacheDir", "/mine/javacpp"); // JavaCPP's alias counts too
        props.setProperty("javafx.cachedir", "/mine/fx");
        Map<String, String> set = NativeCaches.apply(tmp, Map.of("DJL_CACHE_DIR", "/mine/djl"), props);

        assertThat(set).isEmpty();
        assertThat(props.getProperty("DJL_CACHE_DIR")).as("DJL reads the environment itself").isNull();
        assertThat(props.getProperty("org.bytedeco.javacpp.cachedir")).isNull();
        assertThat(props.getProperty("javafx.cachedir")).isEqualTo("/mine/fx");
    }

    @Test
    void aBlankValueCountsAsUnset() {
        Properties props = new Properties();
        props.setProperty("DJL_CACHE_DIR", " ");
        NativeCaches.apply(tmp, Map.of(), props);
        assertThat(props.getProperty("DJL_CACHE_DIR")).isEqualTo(tmp.resolve("natives/djl").toString());
    }
}
