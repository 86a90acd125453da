package dev.distillery.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameSourcesTest {
    @TempDir
    Path dir;

    @Test
    void synthetic() {
        try (FrameSource s = FrameSources.open("synthetic")) {
            assertThat(s).isInstanceOf(SyntheticSource.class);
            assertThat(s.info().width()).isEqualTo(640);
            assertThat(s.info().height()).isEqualTo(480);
            assertThat(s.info().fps()).isEqualTo(30.0);
        }
        try (FrameSource s = FrameSources.open("synthetic:320x200@15")) {
            assertThat(s.info().width()).isEqualTo(320);
            assertThat(s.info().height()).isEqualTo(200);
            assertThat(s.info().fps()).isEqualTo(15.0);
        }
        try (FrameSource s = FrameSources.open("  SYNTHETIC:128x96 ")) {
            assertThat(s.info().width()).isEqualTo(128);
            assertThat(s.info().fps()).isEqualTo(30.0);
        }
        assertThatThrownBy(() -> FrameSources.open("synthetic:big")).isInstanceOf(SourceException.class)
                .hasMessageContaining("synthetic:WIDTHxHEIGHT@FPS");
    }

    @Test
    void folderAndVideoFile() throws Exception {
        Path images = Files.createDirectory(dir.resolve("images"));
        try (Mat m = new Mat(32, 48, CV_8UC3, Scalar.all(99))) {
            opencv_imgcodecs.imwrite(images.resolve("a.png").toString(), m);
        }
        try (FrameSource s = FrameSources.open(images.toString())) {
            assertThat(s).isInstanceOf(ImageFolderSource.class);
            assertThat(s.info().width()).isEqualTo(48);
        }
        Path video = TestVideos.write(dir.resolve("v.avi"), "avi", "mjpeg", 4);
        try (FrameSource s = FrameSources.open(video.toString())) {
            assertThat(s).isInstanceOf(VideoFileSource.class);
            assertThat(s.info().frameCount()).isEqualTo(4);
        }
        try (FrameSource s = FrameSources.open(video.toString(), true)) {
            assertThat(s.info().frameCount()).isEqualTo(-1);
        }
    }

    @Test
    void cameraSpecs() {
        // on the camera-less build machine both forms fail with the device named
        if (Cameras.os() == Cameras.Os.LINUX && !Files.exists(Path.of("/dev/video3"))) {
            assertThatThrownBy(() -> FrameSources.open("camera:3")).isInstanceOf(SourceException.class)
                    .hasMessageContaining("/dev/video3");
            assertThatThrownBy(() -> FrameSources.open("camera:/dev/video3")).isInstanceOf(SourceException.class)
                    .hasMessageContaining("/dev/video3");
        }
        assertThatThrownBy(() -> FrameSources.open("camera:")).isInstanceOf(SourceException.class)
                .hasMessageContaining("camera:0");
    }

    @Test
    void unknownSpecListsTheForms() {
        assertThatThrownBy(() -> FrameSources.open(dir.resolve("nothing-here").toString()))
                .isInstanceOf(SourceException.class).hasMessageContaining("no such file or folder")
                .hasMessageContaining("camera:0").hasMessageContaining("synthetic:640x480@30")
                .hasMessageContaining("folder");
        assertThatThrownBy(() -> FrameSources.open(" ")).isInstanceOf(SourceException.class)
                .hasMessageContaining("camera:0");
    }

    @org.junit.jupiter.api.Test
    void cameraFormatIsParsedOrExplained() {
        // No camera here: a well-formed format gets as far as opening the device.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FrameSources.open("camera:0@1280x720@30"))
                .isInstanceOf(SourceException.class).hasMessageContaining("no camera");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FrameSources.open("camera:0@huge"))
                .isInstanceOf(SourceException.class).hasMessageContaining("camera:0@1280x720@30");
    }
}
