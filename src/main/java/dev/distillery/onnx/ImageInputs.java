package dev.distillery.onnx;

import dev.distillery.model.ModelInfo;
import dev.distillery.model.TensorSpec;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds the image among a model's inputs.
 *
 * <p>An input is image-like when it is 4-D, its element type is float, float16 or uint8, and it has a
 * fixed 1 or 3 channels either on axis 1 (NCHW, checked first) or on axis 3 (NHWC).
 */
public final class ImageInputs {
    private static final Set<String> IMAGE_TYPES = Set.of("float", "float16", "uint8");

    private ImageInputs() {
    }

    /** The first image-like input, or empty when the model has none. */
    public static Optional<TensorSpec> find(ModelInfo info) {
        return info.inputs().stream().filter(ImageInputs::isImage).findFirst();
    }

    /** Whether {@code spec} is an image-like input (see the class comment). */
    public static boolean isImage(TensorSpec spec) {
        return spec.rank() == 4 && IMAGE_TYPES.contains(spec.elementType())
                && (isChannels(spec.dim(1)) || isChannels(spec.dim(3)));
    }

    /** True when an image-like input carries its channels on axis 1 (NCHW), false for NHWC. */
    public static boolean channelsFirst(TensorSpec spec) {
        return isChannels(spec.dim(1));
    }

    private static boolean isChannels(long d) {
        return d == 1 || d == 3;
    }

    /** The message for a model without an image input: its inputs and what a teacher needs. */
    public static String missingMessage(ModelInfo info) {
        String inputs = info.inputs().isEmpty() ? "none"
                : info.inputs().stream().map(t -> "'" + t.name() + "' " + t.shapeText() + " " + t.elementType())
                        .collect(Collectors.joining(", "));
        return "This model has no image input, so it cannot be used as a vision teacher. Its inputs: " + inputs
                + ". A teacher needs a 4-D image input shaped [N, 3, H, W] or [N, H, W, 3] (1 channel also works),"
                + " of type float, float16 or uint8.";
    }
}
