package dev.distillery.vision;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Where frames come from: a webcam, a video file, a folder of images, or a synthetic scene. One
 * thread reads a source; frames come out as 8-bit 3-channel BGR {@link Mat}s owned by the caller.
 */
public interface FrameSource extends AutoCloseable {
    /** What this source is: shown on screen and in reports. */
    SourceInfo info();

    /**
     * The next frame, or null at the end of a finite source (a looping source never ends). Blocks
     * until a frame is decoded; does not pace to the source's frame rate (the caller does).
     *
     * @throws SourceException when the source breaks (unplugged camera, corrupt stream), with a
     *                         message that says what happened and what to do
     */
    Mat grab();

    /** Jumps to a frame of a seekable source (see {@link SourceInfo#seekable()}). */
    default void seek(long frameIndex) {
        throw new UnsupportedOperationException(info().description() + " cannot seek");
    }

    /** Releases the device or file; safe to call twice. */
    @Override
    void close();
}
