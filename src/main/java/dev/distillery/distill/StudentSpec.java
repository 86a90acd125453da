package dev.distillery.distill;

import java.util.ArrayList;
import java.util.List;

/**
 * What a student network looks like, before any weights exist.
 *
 * <p>{@link Kind#CLASSIFIER}: a 3×3 stride-2 stem to {@code channels[0]}, then one depthwise-separable
 * block (depthwise 3×3 + BN + ReLU, pointwise 1×1 + BN + ReLU) per further entry of {@code channels}
 * (stride 2 when the width grows, else 1), global average pooling and a linear layer to
 * {@code outputs} logits.
 *
 * <p>{@link Kind#DENSE}: the same encoder (every block stride 2), then per encoder stage a decoder
 * stage back up (1×1 conv + BN + ReLU at low resolution, nearest 2× upsampling, depthwise 3×3 + BN +
 * ReLU to smooth), and a 3×3 convolution to {@code outputs} logit maps: output [N, outputs, H, W].
 *
 * <p>{@code headStride} 2 (dense only) stops the decoder at half resolution: the last stage and the 3×3 head run
 * at H/2×W/2 and only the {@code outputs} logit maps are upsampled (nearest, 2×). On a 2-core CPU the
 * full-resolution tail (8 channels at 320×320: upsample, depthwise, head) costs more than the whole encoder, so
 * this is what fits a 10 ms budget; the maps are then blocky at 2×2 pixels.
 *
 * <p>{@link Kind#DETECTOR}: the classifier's encoder (stride 2 when the width grows), then decoder stages (1×1
 * conv + BN + ReLU, nearest 2× upsampling, depthwise 3×3 + BN + ReLU) back to stride
 * {@value #DETECTOR_STRIDE}, and a 3×3 convolution to {@code outputs} + 4 maps: per grid cell the class logits,
 * then the log-distances (in strides) from the cell centre to the box's left, top, right and bottom edges
 * ({@link dev.distillery.distill.target.BoxGrid}). The exported model decodes them into YOLOv8's layout.
 */
public record StudentSpec(String name, StudentTask kind, int inputChannels, int inputWidth, int inputHeight,
                          List<Integer> channels, int outputs, int headStride) {
    /** Output stride of a detector's grid: one prediction per 8×8 input pixels. */
    public static final int DETECTOR_STRIDE = dev.distillery.distill.target.BoxGrid.STRIDE;

    /** BatchNorm epsilon used in DJL and written to ONNX. */
    public static final float BN_EPSILON = 1e-5f;
    /** Channels of the last decoder stage of a dense student. */
    static final int DENSE_HEAD_CHANNELS = 8;

    public StudentSpec {
        channels = List.copyOf(channels);
        if (kind == null || !kind.allowsHeadStride(headStride)) {
            throw new IllegalArgumentException(name + ": head stride " + headStride
                    + " (1, or 2 for a dense student)");
        }
        if (channels.isEmpty() || inputChannels < 1 || outputs < 1 || inputWidth < 8 || inputHeight < 8) {
            throw new IllegalArgumentException("bad student spec " + name);
        }
        kind.check(name, channels, inputWidth, inputHeight);
    }

    /** A square input, full-resolution head. */
    public StudentSpec(String name, StudentTask kind, int inputChannels, int inputSize, List<Integer> channels, int outputs) {
        this(name, kind, inputChannels, inputSize, inputSize, channels, outputs, 1);
    }

    /** A full-resolution head. */
    public StudentSpec(String name, StudentTask kind, int inputChannels, int inputWidth, int inputHeight,
                       List<Integer> channels, int outputs) {
        this(name, kind, inputChannels, inputWidth, inputHeight, channels, outputs, 1);
    }

    /** The input width (presets are square; {@link #withInput} makes them rectangular, e.g. for text lines). */
    public int inputSize() {
        return inputWidth;
    }

    public StudentSpec withInputSize(int size) {
        return withInput(size, size);
    }

    public StudentSpec withInput(int width, int height) {
        return new StudentSpec(name, kind, inputChannels, width, height, channels, outputs, headStride);
    }

    public StudentSpec withOutputs(int n) {
        return new StudentSpec(name, kind, inputChannels, inputWidth, inputHeight, channels, n, headStride);
    }

    /** The same network with the decoder stopping at 1/{@code stride} resolution (see the class comment). */
    public StudentSpec withHeadStride(String newName, int stride) {
        return new StudentSpec(newName, kind, inputChannels, inputWidth, inputHeight, channels, outputs, stride);
    }

    /** Floats in one input sample: C·H·W. */
    public int inputValues() {
        return inputChannels * inputWidth * inputHeight;
    }

    /** Floats in one output sample. */
    public int outputValues() {
        long n = 1;
        for (long d : outputShape()) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    /** The flat layer list that {@link StudentBuilder} and {@link OnnxExporter} both follow. */
    public List<StudentLayer> layers() {
        List<StudentLayer> l = new ArrayList<>();
        List<Integer> strides = new ArrayList<>(List.of(2));
        convBnRelu(l, new StudentLayer.Conv(inputChannels, channels.get(0), 3, 2, 1, false));
        for (int i = 1; i < channels.size(); i++) {
            int in = channels.get(i - 1);
            int out = channels.get(i);
            int stride = kind.blockStride(in, out);
            strides.add(strides.get(strides.size() - 1) * stride);
            convBnRelu(l, new StudentLayer.Conv(in, in, 3, stride, in, false));
            convBnRelu(l, new StudentLayer.Conv(in, out, 1, 1, 1, false));
        }
        kind.appendHead(this, l, strides);
        return List.copyOf(l);
    }

    static void convBnRelu(List<StudentLayer> l, StudentLayer.Conv conv) {
        l.add(conv);
        l.add(new StudentLayer.BatchNorm(conv.out(), BN_EPSILON));
        l.add(new StudentLayer.Relu());
    }

    /** All stored values: weights, biases and BatchNorm running statistics (what DJL and ONNX hold). */
    public long parameterCount() {
        return layers().stream().mapToLong(StudentLayer::parameterCount).sum();
    }

    /** Trainable values only (without BatchNorm running mean/variance). */
    public long trainableParameterCount() {
        return layers().stream().mapToLong(x -> x instanceof StudentLayer.BatchNorm b ? 2L * b.channels()
                : x.parameterCount()).sum();
    }

    /** Estimated floating point operations (2 × multiply–accumulates) for one sample at the input size. */
    public long flops() {
        int[] s = {inputChannels, inputHeight, inputWidth};
        long macs = 0;
        for (StudentLayer layer : layers()) {
            macs += layer.macs(s[0], s[1], s[2]);
            s = layer.outputShape(s[0], s[1], s[2]);
        }
        return 2 * macs;
    }

    /**
     * Output shape of one sample as trained: [outputs] for a classifier, [outputs, H, W] for a dense student,
     * [outputs + 4, H/8, W/8] for a detector (the exported detector decodes this to [4 + outputs, H/8 · W/8]).
     */
    public long[] outputShape() {
        return kind.outputShape(this);
    }

    /** Shape of one training target: the output's, except a detector's, which adds a regression weight map. */
    public long[] targetShape() {
        return kind.targetShape(this);
    }

    /** A detector's grid (how its maps are trained and decoded). */
    public dev.distillery.distill.target.BoxGrid boxGrid() {
        return new dev.distillery.distill.target.BoxGrid(outputs, gridWidth(), gridHeight(), DETECTOR_STRIDE);
    }

    /** Detector grid columns (input width / 8). */
    public int gridWidth() {
        return inputWidth / DETECTOR_STRIDE;
    }

    /** Detector grid rows (input height / 8). */
    public int gridHeight() {
        return inputHeight / DETECTOR_STRIDE;
    }

    /** Expected size of the exported ONNX file: float32 weights plus roughly 120 bytes of graph per layer. */
    public long expectedOnnxBytes() {
        return 4 * parameterCount() + 120L * layers().size() + 600;
    }

    public String summary() {
        return String.format("%s: %s %d×%d, %,d params, %.1f MFLOPs, ~%,d bytes ONNX", name, kind.metadataName(),
                inputWidth,
                inputHeight, parameterCount(), flops() / 1e6, expectedOnnxBytes());
    }
}
