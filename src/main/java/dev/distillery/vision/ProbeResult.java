package dev.distillery.vision;

/**
 * The answer of {@link Cameras#probe}: can this camera be opened now, and if not, why and what to do.
 *
 * @param device  the camera probed
 * @param status  the verdict
 * @param message one sentence for the user: "Camera 0 (/dev/video0) works: 640x480", or what to do
 * @param width   frame width the camera delivered, 0 when not available
 * @param height  frame height the camera delivered, 0 when not available
 */
public record ProbeResult(CameraDevice device, Status status, String message, int width, int height) {
    /** What a probe found. */
    public enum Status {
        /** The camera opened and gave its format. */
        AVAILABLE,
        /** There is no such camera (nothing plugged in, wrong number). */
        NONE,
        /** A system library FFmpeg needs for cameras is missing; the message says how to install it. */
        MISSING_LIBRARY,
        /** The device exists but could not be opened (busy in another program, no permission, timed out). */
        FAILED
    }

    /** True when the camera can be used. */
    public boolean available() {
        return status == Status.AVAILABLE;
    }
}
