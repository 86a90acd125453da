package dev.distillery.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VideoFileSourceTest {
    static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

    @TempDir
    Path dir;

    /** Decodes the whole source and returns the index read from each frame. */
    static List<Integer> indices(FrameSource source) {
        List<Integer> out = new ArrayList<>();
        Mat m;
        while ((m = source.grab()) != null) {
            try (Mat owned = m) {
                assertThat(m.type()).isEqualTo(opencv_core.CV_8UC3);
                assertThat(m.cols()).isEqualTo(TestVideos.WIDTH);
                out.add(TestVideos.indexOf(m));
            }
        }
        return out;
    }

    static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(i);
        }
        return r;
    }

    @ParameterizedTest(name = "{1} in {0}")
    @CsvSource({"avi,mjpeg,avi", "avi,mpeg4,avi", "mp4,mpeg4,mp4", "mp4,libx264,mp4", "mp4,libopenh264,mp4",
            "matroska,mpeg4,mkv", "matroska,libx264,mkv",
            "webm,libvpx,webm", "webm,libvpx-vp9,webm"})
    void decodesEveryFrameInOrder(String format, String encoder, String ext) throws Exception {
        assumeThat(TestVideos.hasEncoder(encoder)).as("FFmpeg build has encoder " + encoder).isTrue();
        Path file = TestVideos.write(dir.resolve("count." + ext), format, encoder, 60);
        try (VideoFileSource source = new VideoFileSource(file)) {
            SourceInfo info = source.info();
            assertThat(info.width()).isEqualTo(160);
            assertThat(info.height()).isEqualTo(120);
            assertThat(info.fps()).isEqualTo(25.0, org.assertj.core.data.Offset.offset(0.01));
            assertThat(info.seekable()).isTrue();
            assertThat(info.live()).isFalse();
            assertThat(info.frameCount()).as("frame count from the container").isIn(60L, -1L);
            assertThat(info.description()).isEqualTo("count." + ext);
            assertThat(indices(source)).containsExactlyElementsOf(range(0, 60));
            assertThat(source.grab()).as("stays at the end").isNull();
        }
    }

    @Test
    void seeksToExactFrames() throws Exception {
        Path file = TestVideos.write(dir.resolve("seek.mp4"), "mp4", "mpeg4", 60);
        try (VideoFileSource source = new VideoFileSource(file)) {
            assertThat(source.containerFrameCount()).isEqualTo(60);
            for (int target : new int[] {37, 5, 0, 59, 13}) {
                source.seek(target);
                try (Mat m = source.grab()) {
                    assertThat(TestVideos.indexOf(m)).as("frame after seek(%d)", target).isEqualTo(target);
                }
                try (Mat m = source.grab()) {
                    if (target < 59) {
                        assertThat(TestVideos.indexOf(m)).isEqualTo(target + 1);
                    } else {
                        assertThat(m).isNull();
                    }
                }
            }
            assertThatThrownBy(() -> source.seek(60)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> source.seek(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void loopsEndlessly() throws Exception {
        Path file = TestVideos.write(dir.resolve("loop.avi"), "avi", "mjpeg", 10);
        try (VideoFileSource source = new VideoFileSource(file, true)) {
            assertThat(source.info().frameCount()).isEqualTo(-1);
            assertThat(source.containerFrameCount()).isEqualTo(10);
            List<Integer> seen = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                try (Mat m = source.grab()) {
                    seen.add(TestVideos.indexOf(m));
                }
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                expected.add(i % 10);
            }
            assertThat(seen).isEqualTo(expected);
        }
    }

    @Test
    void framesAreIndependentCopies() throws Exception {
        Path file = TestVideos.write(dir.resolve("own.avi"), "avi", "mjpeg", 5);
        try (VideoFileSource source = new VideoFileSource(file)) {
            Mat first = source.grab();
            Mat second = source.grab();
            try (first; second) {
                assertThat(TestVideos.indexOf(first)).isEqualTo(0);
                assertThat(TestVideos.indexOf(second)).isEqualTo(1);
                assertThat(first.data().address()).isNotEqualTo(second.data().address());
            }
        }
    }

    @Test
    void nonAsciiFileName() throws Exception {
        Path file = TestVideos.write(Files.createDirectory(dir.resolve("vidéos ü")).resolve("über clip ñ.avi"),
                "avi", "mjpeg", 6);
        try (VideoFileSource source = new VideoFileSource(file)) {
            assertThat(source.info().description()).isEqualTo("über clip ñ.avi");
            assertThat(indices(source)).containsExactlyElementsOf(range(0, 6));
        }
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.mp4");
        assertThatThrownBy(() -> new VideoFileSource(missing)).isInstanceOf(SourceException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void textFileIsNotAVideo() throws Exception {
        Path fake = dir.resolve("notes.mp4");
        Files.writeString(fake, "These are my notes, not a video.\n".repeat(50), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new VideoFileSource(fake)).isInstanceOf(SourceException.class)
                .hasMessageContaining(fake.toString()).hasMessageContaining("not a video");
    }

    @Test
    void unsupportedCodecIsNamed() {
        Path file = Path.of("clip.mkv");
        String message = VideoFileSource.openFailure(file, new Exception("avcodec_find_decoder() error: Unsupported"
                + " video format or codec not found: " + org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC + "."));
        assertThat(message).startsWith("Cannot open video clip.mkv: its video codec 'hevc' is not supported");
        String audio = VideoFileSource.openFailure(file, new Exception("avcodec_find_decoder() error: Unsupported"
                + " audio format or codec not found: " + org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AC3 + "."));
        assertThat(audio).contains("its audio codec 'ac3' is not supported");
    }

    @Test
    void emptyFileIsNotAVideo() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.avi"));
        assertThatThrownBy(() -> new VideoFileSource(empty)).isInstanceOf(SourceException.class)
                .hasMessageContaining(empty.toString());
    }

    @Test
    void truncatedMp4FailsToOpen() throws Exception {
        Path file = TestVideos.write(dir.resolve("cut.mp4"), "mp4", "mpeg4", 60);
        cutInHalf(file);
        assertThatThrownBy(() -> new VideoFileSource(file)).isInstanceOf(SourceException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("truncated");
    }

    @Test
    void truncatedAviGivesFramesUntilTheBreakThenAClearError() throws Exception {
        Path file = TestVideos.write(dir.resolve("cut.avi"), "avi", "mjpeg", 60);
        cutInHalf(file);
        try (VideoFileSource source = new VideoFileSource(file)) {
            List<Integer> seen = new ArrayList<>();
            Throwable error = null;
            try {
                Mat m;
                while ((m = source.grab()) != null) {
                    try (Mat owned = m) {
                        seen.add(TestVideos.indexOf(m));
                    }
                }
            } catch (SourceException e) {
                error = e;
            }
            assertThat(seen).as("frames before the break, in order").isNotEmpty().hasSizeLessThan(60)
                    .isEqualTo(range(0, seen.size()));
            assertThat(error).as("the break is reported").isNotNull();
            assertThat(error.getMessage()).contains(file.toString()).contains("truncated")
                    .contains("stopped after frame " + seen.size() + " of");
        }
    }

    @Test
    void audioOnlyFileHasNoVideoStream() throws Exception {
        assumeThat(TestVideos.hasEncoder("aac")).isTrue();
        Path file = dir.resolve("sound.m4a");
        try (org.bytedeco.javacv.FFmpegFrameRecorder r =
                     new org.bytedeco.javacv.FFmpegFrameRecorder(file.toFile(), 1)) {
            r.setFormat("mp4");
            r.setAudioCodecName("aac");
            r.setSampleRate(44100);
            r.start();
            short[] samples = new short[44100];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) (Math.sin(i * 0.05) * 8000);
            }
            r.recordSamples(44100, 1, java.nio.ShortBuffer.wrap(samples));
            r.stop();
        }
        assertThatThrownBy(() -> new VideoFileSource(file)).isInstanceOf(SourceException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("no video stream");
    }

    @Test
    void closeTwiceIsSafeAndGrabAfterCloseFails() throws Exception {
        Path file = TestVideos.write(dir.resolve("close.avi"), "avi", "mjpeg", 3);
        VideoFileSource source = new VideoFileSource(file);
        source.close();
        source.close();
        assertThatThrownBy(source::grab).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void vtestAvi() {
        assumeThat(Files.exists(VTEST)).as(VTEST + " is present (package opencv-doc)").isTrue();
        try (VideoFileSource source = new VideoFileSource(VTEST)) {
            SourceInfo info = source.info();
            assertThat(info.width()).isEqualTo(768);
            assertThat(info.height()).isEqualTo(576);
            assertThat(info.fps()).isPositive();
            long count = 0;
            Mat m;
            while ((m = source.grab()) != null) {
                try (Mat owned = m) {
                    assertThat(m.cols()).isEqualTo(768);
                    count++;
                }
            }
            System.out.println("vtest.avi: " + count + " frames decoded, container says " + info.frameCount()
                    + ", " + info.fps() + " fps, codec " + source.codecName());
            assertThat(count).isPositive();
            if (info.frameCount() > 0) {
                assertThat(count).isEqualTo(info.frameCount());
            }
            // seek: the frame after seek(n) equals the n-th frame decoded sequentially
            source.seek(0);
            Mat[] sequential = new Mat[101];
            for (int i = 0; i <= 100; i++) {
                sequential[i] = source.grab();
            }
            try {
                for (int target : new int[] {100, 17, 50}) {
                    source.seek(target);
                    try (Mat got = source.grab()) {
                        assertThat(opencv_core.norm(got, sequential[target], opencv_core.NORM_INF, null))
                                .as("frame %d after seek", target).isZero();
                        assertThat(opencv_core.norm(got, sequential[target - 1], opencv_core.NORM_INF, null))
                                .as("differs from frame %d", target - 1).isPositive();
                    }
                }
            } finally {
                Arrays.stream(sequential).forEach(Mat::close);
            }
        }
    }

    private static void cutInHalf(Path file) throws Exception {
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length / 2));
    }
}
