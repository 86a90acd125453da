package dev.distillery.network.miner;

/**
 * Argon2id cost parameters, stored in every wallet file so a wallet stays readable when the defaults
 * change.
 *
 * @param memoryKiB memory per derivation in KiB (at least 8 × parallelism)
 * @param iterations passes over the memory
 * @param parallelism lanes
 */
public record KdfParams(int memoryKiB, int iterations, int parallelism) {
    /** Production default: 64 MiB, 3 passes, 1 lane (memory-hard; the RFC 9106 second recommendation). */
    public static final KdfParams DEFAULT = new KdfParams(64 * 1024, 3, 1);

    /** Upper bounds accepted when reading a file, so a damaged file cannot demand absurd resources. */
    static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
    static final int MAX_ITERATIONS = 64;
    static final int MAX_PARALLELISM = 16;

    public KdfParams {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("Argon2 parallelism must be 1-" + MAX_PARALLELISM + ", got " + parallelism);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("Argon2 iterations must be 1-" + MAX_ITERATIONS + ", got " + iterations);
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2 memory must be " + 8 * parallelism + "-" + MAX_MEMORY_KIB
                    + " KiB, got " + memoryKiB);
        }
    }
}
