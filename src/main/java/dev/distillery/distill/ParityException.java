package dev.distillery.distill;

/** The exported ONNX model does not compute what the DJL student computes; nothing was saved. */
public class ParityException extends RuntimeException {
    private final double maxAbsDiff;

    public ParityException(String message, double maxAbsDiff) {
        super(message);
        this.maxAbsDiff = maxAbsDiff;
    }

    public double maxAbsDiff() {
        return maxAbsDiff;
    }
}
