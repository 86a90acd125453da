package dev.distillery.live;

import dev.distillery.model.Prediction;

/**
 * One model's answer on one frame, ready for display. The image is packed ARGB (0xAARRGGBB, row-major,
 * {@code width × height} ints), the format of a JavaFX {@code PixelFormat.getIntArgbInstance()} writer, so the
 * UI can copy it into a {@code WritableImage} without conversion. A new array is made per frame; the
 * pipeline never writes to it after handing it out.
 *
 * @param model       index of the model in the pipeline (0 or 1)
 * @param frameNumber number of the source frame (0-based, in decode order)
 * @param argb        rendered view (frame + overlay), or null when the pipeline does not render (headless)
 * @param width       image width in pixels
 * @param height      image height in pixels
 * @param prediction  what the model said
 * @param latencyMs   inference time of this frame in milliseconds
 */
public record LiveFrame(int model, long frameNumber, int[] argb, int width, int height, Prediction prediction,
                        double latencyMs) {
}
