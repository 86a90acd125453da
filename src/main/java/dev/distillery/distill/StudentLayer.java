package dev.distillery.distill;

/**
 * One layer of a student network, in the small ONNX-friendly op set shared by {@link StudentBuilder}
 * (DJL blocks) and {@link OnnxExporter} (ONNX nodes). A student is a flat list of these.
 */
public sealed interface StudentLayer {
    /** Values stored for this layer (weights, biases, BatchNorm running statistics). */
    long parameterCount();

    /** Multiply–accumulates for one sample, given the input of the layer as C×H×W. */
    long macs(int channels, int height, int width);

    /** Output C, H, W for the input C, H, W (H = W = 1 after pooling). */
    int[] outputShape(int channels, int height, int width);

    /** Square convolution, padding k/2, optional depthwise/grouped. Weight [out, in/groups, k, k]. */
    record Conv(int in, int out, int kernel, int stride, int groups, boolean bias) implements StudentLayer {
        public long parameterCount() {
            return (long) out * (in / groups) * kernel * kernel + (bias ? out : 0);
        }

        public long macs(int c, int h, int w) {
            int[] o = outputShape(c, h, w);
            return (long) o[1] * o[2] * out * (in / groups) * kernel * kernel;
        }

        public int[] outputShape(int c, int h, int w) {
            int p = kernel / 2;
            return new int[] {out, (h + 2 * p - kernel) / stride + 1, (w + 2 * p - kernel) / stride + 1};
        }
    }

    /**
     * Nearest-neighbour 2× upsampling (each value repeated 2×2). No parameters. DJL: repeat along H and W
     * (the PyTorch engine does not implement transposed convolution); ONNX: Resize nearest/asymmetric/floor.
     */
    record UpsampleNearest2x() implements StudentLayer {
        public long parameterCount() {
            return 0;
        }

        public long macs(int c, int h, int w) {
            return 0;
        }

        public int[] outputShape(int c, int h, int w) {
            return new int[] {c, h * 2, w * 2};
        }
    }

    /** BatchNorm over channels: gamma, beta, running mean, running variance. */
    record BatchNorm(int channels, float epsilon) implements StudentLayer {
        public long parameterCount() {
            return 4L * channels;
        }

        public long macs(int c, int h, int w) {
            return (long) c * h * w;
        }

        public int[] outputShape(int c, int h, int w) {
            return new int[] {c, h, w};
        }
    }

    record Relu() implements StudentLayer {
        public long parameterCount() {
            return 0;
        }

        public long macs(int c, int h, int w) {
            return 0;
        }

        public int[] outputShape(int c, int h, int w) {
            return new int[] {c, h, w};
        }
    }

    /** Global average pooling followed by flattening to [N, C]. */
    record GlobalAvgPool() implements StudentLayer {
        public long parameterCount() {
            return 0;
        }

        public long macs(int c, int h, int w) {
            return (long) c * h * w;
        }

        public int[] outputShape(int c, int h, int w) {
            return new int[] {c, 1, 1};
        }
    }

    /** Fully connected: weight [out, in], bias [out]. */
    record Dense(int in, int out) implements StudentLayer {
        public long parameterCount() {
            return (long) in * out + out;
        }

        public long macs(int c, int h, int w) {
            return (long) in * out;
        }

        public int[] outputShape(int c, int h, int w) {
            return new int[] {out, 1, 1};
        }
    }
}
