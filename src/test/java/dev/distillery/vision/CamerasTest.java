package dev.distillery.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs on a Linux machine without a camera: everything must answer "none" fast. */
class CamerasTest {
    @TempDir
    Path dir;

    private static boolean noCameraHere() {
        return Cameras.os() == Cameras.Os.LINUX && !Files.exists(Path.of("/dev/video0"));
    }

    @Test
    void listAndProbeAnswerNoneWithinOneSecond() {
        assumeThat(noCameraHere()).as("a Linux machine without /dev/video0").isTrue();
        long start = System.nanoTime();
        List<CameraDevice> cameras = Cameras.list();
        ProbeResult probe = Cameras.probe(Cameras.byInput("/dev/video0"));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        System.out.println("Cameras.list() + probe(/dev/video0): " + elapsedMs + " ms, " + probe.message());
        assertThat(elapsedMs).isLessThan(1000);
        assertThat(cameras).isEmpty();
        assertThat(probe.status()).isEqualTo(ProbeResult.Status.NONE);
        assertThat(probe.available()).isFalse();
        assertThat(probe.message()).contains("No camera at /dev/video0");
    }

    @Test
    void openingCameraZeroFailsFastAndClearly() {
        assumeThat(noCameraHere()).as("a Linux machine without /dev/video0").isTrue();
        long start = System.nanoTime();
        assertThatThrownBy(() -> FrameSources.open("camera:0")).isInstanceOf(SourceException.class)
                .hasMessageContaining("Camera 0").hasMessageContaining("no camera at /dev/video0");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
    }

    @Test
    void notADeviceIsReportedWithinOneSecond() throws Exception {
        assumeThat(Cameras.os()).isEqualTo(Cameras.Os.LINUX);
        // an existing path that is not a v4l2 device: FFmpeg itself has to answer
        Path fake = Files.writeString(dir.resolve("video7"), "not a device");
        long start = System.nanoTime();
        ProbeResult probe = Cameras.probe(Cameras.byInput(fake.toString()));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        System.out.println("probe(" + fake + "): " + elapsedMs + " ms, " + probe.status() + ": " + probe.message());
        assertThat(elapsedMs).isLessThan(1000);
        assertThat(probe.available()).isFalse();
        assertThat(probe.device().index()).isEqualTo(7);
        assertThat(probe.status()).as("FFmpeg's v4l2 input is loaded (libpulse present), the file is no device")
                .isEqualTo(ProbeResult.Status.FAILED);
        assertThat(probe.message()).contains("not a video capture device");
        long openStart = System.nanoTime();
        assertThatThrownBy(() -> new CameraSource(Cameras.byInput(fake.toString())))
                .isInstanceOf(SourceException.class).hasMessageStartingWith("Cannot open Camera 7");
        assertThat((System.nanoTime() - openStart) / 1_000_000).isLessThan(1000);
    }

    @Test
    void listsLinuxNodesWithSysfsNames() throws Exception {
        Path dev = Files.createDirectory(dir.resolve("dev"));
        Path sys = Files.createDirectory(dir.resolve("sys"));
        Files.createFile(dev.resolve("video2"));
        Files.createFile(dev.resolve("video0"));
        Files.createFile(dev.resolve("video10"));
        Files.createFile(dev.resolve("vhci"));
        Files.createDirectories(sys.resolve("video0"));
        Files.writeString(sys.resolve("video0").resolve("name"), "Integrated Camera: Integrated C\n");
        List<CameraDevice> cams = Cameras.listLinux(dev, sys);
        assertThat(cams).extracting(CameraDevice::index).containsExactly(0, 2, 10);
        assertThat(cams.get(0).name()).isEqualTo("Integrated Camera: Integrated C");
        assertThat(cams.get(0).format()).isEqualTo("v4l2");
        assertThat(cams.get(1).name()).isEqualTo(dev.resolve("video2").toString());
        assertThat(cams.get(0).label()).isEqualTo("Camera 0 (Integrated Camera: Integrated C, "
                + dev.resolve("video0") + ")");
    }

    @Test
    void ffmpegDeviceListingWorksThroughJavacpp() {
        // the binding the Windows (dshow) path uses, exercised with Linux's v4l2 input, which also lists devices
        assumeThat(noCameraHere()).as("a Linux machine without /dev/video0").isTrue();
        long start = System.nanoTime();
        List<String[]> devices = Cameras.ffmpegDeviceList("v4l2");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
        assertThat(devices).as("v4l2 lists devices (none here)").isNotNull().isEmpty();
        assertThat(Cameras.ffmpegDeviceList("no-such-format")).isNull();
    }

    @Test
    void ffmpegLogIsCaptured() throws Exception {
        // the log capture the macOS (avfoundation) listing relies on, exercised with v4l2 on a non-device file
        assumeThat(Cameras.os()).isEqualTo(Cameras.Os.LINUX);
        Path fake = Files.writeString(dir.resolve("video9"), "not a device");
        List<String> lines = Cameras.loggedDeviceList("v4l2", fake.toString());
        System.out.println("captured FFmpeg log: " + lines);
        assertThat(lines).anySatisfy(l -> assertThat(l).containsIgnoringCase("ioctl"));
    }

    @Test
    void ffmpegMessagesBecomeAdvice() {
        CameraDevice cam = new CameraDevice(0, "/dev/video0", "/dev/video0", "v4l2");
        assertThat(Cameras.statusOf("av_find_input_format() error: Could not find input format \"v4l2\"."))
                .isEqualTo(ProbeResult.Status.MISSING_LIBRARY);
        if (Cameras.os() == Cameras.Os.LINUX) {
            assertThat(Cameras.explain(cam, "Could not find input format \"video4linux2\""))
                    .contains("sudo apt-get install libpulse0");
        }
        assertThat(Cameras.explain(cam, "avformat_open_input() error -16: Could not open input \"/dev/video0\"."))
                .contains("busy");
        assertThat(Cameras.explain(cam, "avformat_open_input() error -13: Could not open input \"/dev/video0\"."))
                .contains("video' group");
        assertThat(Cameras.statusOf("avformat_open_input() error -2: Could not open input \"/dev/video0\"."))
                .isEqualTo(ProbeResult.Status.NONE);
        assertThat(Cameras.LIBPULSE_FIX).contains("sudo apt-get install libpulse0");
    }

    @Test
    void libpulseCheckMatchesTheSystem() {
        assumeThat(Cameras.os()).isEqualTo(Cameras.Os.LINUX);
        boolean present = Files.exists(Path.of("/lib/x86_64-linux-gnu/libpulse.so.0"))
                || Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libpulse.so.0"));
        if (present) {
            assertThat(Cameras.libpulseInstalled()).isTrue();
        }
    }
}
