package dev.distillery.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CPU this process runs on, as far as integer inference cares: its model name, whether it is x86, and
 * whether it has AVX2, AVX-512 and VNNI. Read once from {@code /proc/cpuinfo} on Linux; elsewhere only the
 * architecture is known ({@link #known()} false).
 *
 * @param arch        {@code os.arch}, e.g. {@code amd64}
 * @param modelName   the CPU's model name, or a placeholder when it cannot be read
 * @param known       whether the feature flags were read
 * @param avx2        AVX2
 * @param avx512      AVX-512 (Foundation)
 * @param vnni        AVX-512 VNNI or AVX-VNNI: the u8×s8 dot products that sum in 32 bits
 */
public record CpuFeatures(String arch, String modelName, boolean known, boolean avx2, boolean avx512, boolean vnni) {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static volatile CpuFeatures current;

    /** This machine's CPU, detected on first use. */
    public static CpuFeatures current() {
        CpuFeatures c = current;
        if (c == null) {
            c = detect(System.getProperty("os.name", ""), System.getProperty("os.arch", ""), CPUINFO);
            current = c;
        }
        return c;
    }

    static CpuFeatures detect(String osName, String arch, Path cpuinfo) {
        if (osName.toLowerCase(Locale.ROOT).startsWith("linux") && Files.isReadable(cpuinfo)) {
            try {
                return parse(arch, Files.readString(cpuinfo, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                // fall through: unknown
            }
        }
        return new CpuFeatures(arch, "unknown CPU (" + arch + ")", false, false, false, false);
    }

    /** Reads {@code /proc/cpuinfo} text (the first processor's {@code model name} and {@code flags}). */
    public static CpuFeatures parse(String arch, String cpuinfo) {
        String model = null;
        Set<String> flags = null;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (model == null && key.equals("model name")) {
                model = value;
            } else if (flags == null && key.equals("flags")) {
                flags = new TreeSet<>(java.util.List.of(value.split("\\s+")));
            }
        }
        String name = model == null || model.isBlank() ? "unknown CPU (" + arch + ")" : model.replaceAll("\\s+", " ");
        if (flags == null) {
            return new CpuFeatures(arch, name, !isX86(arch), false, false, false);
        }
        return new CpuFeatures(arch, name, true, flags.contains("avx2"), flags.contains("avx512f"),
                flags.contains("avx512_vnni") || flags.contains("avx_vnni"));
    }

    static boolean isX86(String arch) {
        String a = arch.toLowerCase(Locale.ROOT);
        return a.equals("amd64") || a.equals("x86_64") || a.equals("x86") || a.equals("i386") || a.equals("i686");
    }

    /** Whether this is an x86 CPU (where ONNX Runtime's u8s8 AVX2 kernels apply). */
    public boolean x86() {
        return isX86(arch);
    }

    /** e.g. {@code AVX2 yes, AVX-512 yes, VNNI yes}, or {@code features unknown}. */
    public String featureSummary() {
        if (!x86()) {
            return "not x86 (" + arch + ")";
        }
        if (!known) {
            return "features unknown";
        }
        return "AVX2 " + yesNo(avx2) + ", AVX-512 " + yesNo(avx512) + ", VNNI " + yesNo(vnni);
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
