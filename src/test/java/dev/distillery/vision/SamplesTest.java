package dev.distillery.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillery.core.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample data shipped in the jar: present, copied to the data directory once, and readable by the app. */
class SamplesTest {
    @TempDir
    Path data;

    @Test
    void theClipAndTheImagesAreOnTheClassPathAsListed() throws Exception {
        assertThat(Samples.available()).isTrue();
        List<Samples.Entry> entries = Samples.manifest();
        assertThat(entries).extracting(Samples.Entry::path).contains(Samples.CLIP);
        List<Samples.Entry> images = entries.stream().filter(e -> e.path().startsWith(Samples.IMAGES + "/")).toList();
        assertThat(images).hasSize(24);
        long imageBytes = 0;
        for (Samples.Entry e : entries) {
            byte[] bytes = Samples.packaged(e); // checks size and SHA-256 against the list
            assertThat(bytes).hasSize((int) e.size());
            if (images.contains(e)) {
                imageBytes += e.size();
            }
        }
        Samples.Entry clip = entries.stream().filter(e -> e.path().equals(Samples.CLIP)).findFirst().orElseThrow();
        assertThat(clip.size()).as("the clip stays small").isLessThan(2_000_000L);
        assertThat(imageBytes).as("the images stay small").isLessThan(1_000_000L);
    }

    @Test
    void installCopiesOnceAndRepairsWhatIsMissing() throws Exception {
        Samples samples = new Samples(data);
        int n = Samples.manifest().size();
        assertThat(samples.imageFiles()).isEmpty();

        Samples.Installed first = samples.install();
        assertThat(first.written()).isEqualTo(n);
        assertThat(first.kept()).isZero();
        assertThat(samples.folder()).isEqualTo(data.resolve("samples"));
        assertThat(samples.clip()).isRegularFile();
        assertThat(samples.imageFiles()).hasSize(24);
        for (Samples.Entry e : Samples.manifest()) {
            assertThat(Sha256.hex(samples.folder().resolve(e.path()))).as(e.path()).isEqualTo(e.sha256());
        }

        // a second call writes nothing: the files keep their (back-dated) modification times
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Map<Path, FileTime> times = new HashMap<>();
        for (Samples.Entry e : Samples.manifest()) {
            Path f = samples.folder().resolve(e.path());
            Files.setLastModifiedTime(f, old);
            times.put(f, old);
        }
        Samples.Installed second = samples.install();
        assertThat(second.written()).isZero();
        assertThat(second.kept()).isEqualTo(n);
        for (Map.Entry<Path, FileTime> t : times.entrySet()) {
            assertThat(Files.getLastModifiedTime(t.getKey())).as(t.getKey().toString()).isEqualTo(t.getValue());
        }

        // a deleted image and a truncated clip are copied again, the rest is left alone
        Path image = samples.imageFiles().get(3);
        Files.delete(image);
        Files.write(samples.clip(), new byte[] {1, 2, 3});
        Samples.Installed third = samples.install();
        assertThat(third.written()).isEqualTo(2);
        assertThat(third.kept()).isEqualTo(n - 2);
        assertThat(image).isRegularFile();
        assertThat(Files.size(samples.clip())).isGreaterThan(100_000L);
        assertThat(samples.folder()).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void theClipDecodesWithTheAppsVideoSource() {
        Samples samples = new Samples(data);
        samples.install();
        try (VideoFileSource source = new VideoFileSource(samples.clip())) {
            SourceInfo info = source.info();
            assertThat(info.width()).isEqualTo(480);
            assertThat(info.height()).isEqualTo(270);
            assertThat(info.fps()).isEqualTo(25.0);
            assertThat(info.seekable()).isTrue();
            int frames = 0;
            for (Mat m = source.grab(); m != null; m = source.grab()) {
                assertThat(m.cols()).isEqualTo(480);
                assertThat(m.rows()).isEqualTo(270);
                assertThat(m.channels()).isEqualTo(3);
                m.close();
                frames++;
            }
            assertThat(frames).as("6 s at 25 fps").isEqualTo(150);
            assertThat(source.containerFrameCount()).isEqualTo(150);
        }
        // and through the spec a user (or the Live screen) gives, looping
        try (FrameSource looped = FrameSources.open(samples.clip().toString(), true)) {
            for (int i = 0; i < 160; i++) {
                try (Mat m = looped.grab()) {
                    assertThat(m).isNotNull();
                }
            }
        }
    }

    @Test
    void theImagesLoadAsTextScenes() {
        Samples samples = new Samples(data);
        samples.install();
        for (Path f : samples.imageFiles()) {
            try (Mat m = Images.read(f)) {
                assertThat(m.cols()).as(f.toString()).isEqualTo(320);
                assertThat(m.rows()).as(f.toString()).isEqualTo(320);
            }
        }
        try (ImageFolderSource folder = new ImageFolderSource(samples.images())) {
            assertThat(folder.info().frameCount()).isEqualTo(24);
        }
    }
}
