package dev.distillery.model;

import java.util.List;

/**
 * How an image becomes the model's input tensor. Every value can be edited by the user.
 *
 * <p>Applied in this order: decode (OpenCV gives BGR) → {@link #resize} to {@link #width}×{@link #height}
 * → reorder channels to {@link #channelOrder} → value·{@link #scale} → (value − mean[c]) / std[c] →
 * {@link #layout}. For letterboxing the border is filled with {@link #padValue} (in 0–255 pixel units,
 * before scaling).
 *
 * @param width       input width in pixels
 * @param height      input height in pixels
 * @param layout      NCHW or NHWC
 * @param channelOrder RGB or BGR
 * @param scale       multiplier applied to 0–255 pixel values (1/255 for [0,1] inputs, 1 for raw)
 * @param mean        per-channel mean subtracted after scaling, in the model's channel order (3 values)
 * @param std         per-channel std divided after subtracting (3 values)
 * @param resize      resize strategy
 * @param cropFraction for {@link ResizeMode#RESIZE_CENTER_CROP}: crop size / resize size (224/256 = 0.875)
 * @param padValue    letterbox border value, 0–255
 * @param batchSize   0 when the batch axis is dynamic, else the fixed batch the model requires
 * @param elementType input element type: "float" or "uint8"
 */
public record Preprocessing(int width, int height, Layout layout, ChannelOrder channelOrder, double scale,
                            List<Double> mean, List<Double> std, ResizeMode resize, double cropFraction, int padValue,
                            int batchSize, String elementType) {
    public enum Layout { NCHW, NHWC }

    public enum ChannelOrder { RGB, BGR }

    public enum ResizeMode {
        /** Stretch to width×height, ignoring the aspect ratio. */
        STRETCH,
        /** Resize the short side to size/cropFraction, then centre-crop width×height (ImageNet style). */
        RESIZE_CENTER_CROP,
        /** Keep the aspect ratio, pad to width×height with the image centred (YOLOv5/v8). */
        LETTERBOX_CENTER,
        /** Keep the aspect ratio, image at the top-left, pad right and bottom (YOLOX). */
        LETTERBOX_TOP_LEFT
    }

    public Preprocessing {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.size() != 3 || std.size() != 3) {
            throw new IllegalArgumentException("mean and std need 3 values each");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("input size must be positive: " + width + "x" + height);
        }
    }

    public static final List<Double> IMAGENET_MEAN = List.of(0.485, 0.456, 0.406);
    public static final List<Double> IMAGENET_STD = List.of(0.229, 0.224, 0.225);
    public static final List<Double> ZERO = List.of(0.0, 0.0, 0.0);
    public static final List<Double> ONE = List.of(1.0, 1.0, 1.0);

    public Preprocessing withSize(int w, int h) {
        return new Preprocessing(w, h, layout, channelOrder, scale, mean, std, resize, cropFraction, padValue,
                batchSize, elementType);
    }
}
