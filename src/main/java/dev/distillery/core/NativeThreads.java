package dev.distillery.core;

/**
 * Threads that run native inference or training. ONNX Runtime's graph passes and PyTorch can recurse deeper
 * than the JVM's default 1 MB thread stack: PaddleOCR models crashed the process with SIGSEGV (exit 139, no
 * hs_err file) when labelled on a default-sized thread. These threads get a large stack, reserved but committed
 * only as used.
 */
public final class NativeThreads {
    public static final long STACK_BYTES = 64L << 20;

    private NativeThreads() {
    }

    public static Thread create(Runnable body, String name) {
        return new Thread(null, body, name, STACK_BYTES);
    }
}
