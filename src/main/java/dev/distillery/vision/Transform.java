package dev.distillery.vision;

/**
 * The geometry that {@link Preprocessor} applied to one image: how a point of the original image lands in
 * the model input, and back. Coordinates are continuous pixel coordinates (the left edge of pixel 0 is 0,
 * its right edge 1), so box corners map exactly.
 *
 * <p>Model coordinate = original coordinate · scale + offset, per axis. A letterbox has a positive offset
 * (the padding before the image); a centre crop a negative one (the part cut off).
 *
 * @param sourceWidth  original image width in pixels
 * @param sourceHeight original image height in pixels
 * @param inputWidth   model input width in pixels
 * @param inputHeight  model input height in pixels
 * @param scaleX       horizontal scale from original to model pixels
 * @param scaleY       vertical scale from original to model pixels
 * @param offsetX      horizontal offset in model pixels
 * @param offsetY      vertical offset in model pixels
 */
public record Transform(int sourceWidth, int sourceHeight, int inputWidth, int inputHeight, double scaleX,
                        double scaleY, double offsetX, double offsetY) {
    public Transform {
        if (scaleX <= 0 || scaleY <= 0) {
            throw new IllegalArgumentException("scale must be positive: " + scaleX + ", " + scaleY);
        }
    }

    /** The identity transform for an image already at the model's input size. */
    public static Transform identity(int width, int height) {
        return new Transform(width, height, width, height, 1, 1, 0, 0);
    }

    /** Model-input x to original-image x. */
    public double toSourceX(double modelX) {
        return (modelX - offsetX) / scaleX;
    }

    /** Model-input y to original-image y. */
    public double toSourceY(double modelY) {
        return (modelY - offsetY) / scaleY;
    }

    /** Original-image x to model-input x. */
    public double toModelX(double sourceX) {
        return sourceX * scaleX + offsetX;
    }

    /** Original-image y to model-input y. */
    public double toModelY(double sourceY) {
        return sourceY * scaleY + offsetY;
    }
}
