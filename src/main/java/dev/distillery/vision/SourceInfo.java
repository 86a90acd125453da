package dev.distillery.vision;

/**
 * @param description what the user picked: "vtest.avi", "Camera 0 (/dev/video0)", "Synthetic scene"
 * @param width       frame width in pixels
 * @param height      frame height in pixels
 * @param fps         nominal frames per second, 0 when unknown
 * @param frameCount  frames in a finite source, -1 when unknown or endless (cameras, looping)
 * @param live        true for cameras: frames cannot be replayed or paced
 * @param seekable    true when {@link FrameSource#seek} works
 */
public record SourceInfo(String description, int width, int height, double fps, long frameCount, boolean live,
                         boolean seekable) {
}
