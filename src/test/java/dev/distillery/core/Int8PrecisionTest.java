package dev.distillery.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Int8PrecisionTest {
    static final String EPYC = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 7B12 64-Core Processor
            flags\t\t: fpu vme sse sse2 ssse3 sse4_1 sse4_2 avx avx2 fma bmi2
            """;
    static final String SAPPHIRE = """
            model name\t: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz
            flags\t\t: fpu avx avx2 avx512f avx512bw avx512_vnni avx_vnni amx_int8
            """;

    @AfterEach
    void reset() {
        Int8Precision.useCommandLine(null);
        Int8Precision.useStored(Optional.empty());
        System.clearProperty(Int8Precision.PROPERTY);
    }

    @Test
    void readsModelNameAndFeatures() {
        CpuFeatures epyc = CpuFeatures.parse("amd64", EPYC);
        assertEquals("AMD EPYC 7B12 64-Core Processor", epyc.modelName());
        assertTrue(epyc.known() && epyc.avx2() && !epyc.avx512() && !epyc.vnni());
        assertEquals("AVX2 yes, AVX-512 no, VNNI no", epyc.featureSummary());
        CpuFeatures spr = CpuFeatures.parse("amd64", SAPPHIRE);
        assertTrue(spr.avx512() && spr.vnni());
        assertTrue(CpuFeatures.parse("amd64", "model name: X\nflags: avx2 avx_vnni\n").vnni(), "AVX-VNNI counts too");
    }

    @Test
    void autoTurnsPrecisionOnExactlyWhereTheKernelsSaturate() {
        Int8Precision.Choice avx2 = Int8Precision.decide(Int8Precision.Mode.AUTO, "default",
                CpuFeatures.parse("amd64", EPYC));
        assertTrue(avx2.on());
        assertEquals("on: this CPU has no VNNI", avx2.text());
        assertEquals("off: this CPU has VNNI", Int8Precision.decide(Int8Precision.Mode.AUTO, "default",
                CpuFeatures.parse("amd64", SAPPHIRE)).text());
        assertFalse(Int8Precision.decide(Int8Precision.Mode.AUTO, "default",
                CpuFeatures.parse("aarch64", "model name: Neoverse\n")).on(), "not x86: not applicable");
        Int8Precision.Choice unknown = Int8Precision.decide(Int8Precision.Mode.AUTO, "default",
                new CpuFeatures("amd64", "unknown CPU (amd64)", false, false, false, false));
        assertTrue(unknown.on(), "unknown features: on to be safe");
        assertTrue(unknown.reason().contains("unknown"));
    }

    @Test
    void forcedChoicesSayWhoForcedThem() {
        CpuFeatures spr = CpuFeatures.parse("amd64", SAPPHIRE);
        assertEquals("on: forced on by --int8-precision",
                Int8Precision.decide(Int8Precision.Mode.ON, "--int8-precision", spr).text());
        assertEquals("off: forced off by the setting",
                Int8Precision.decide(Int8Precision.Mode.OFF, "the setting", CpuFeatures.parse("amd64", EPYC)).text());
    }

    @Test
    void commandLineBeatsPropertyBeatsSetting() {
        Int8Precision.useStored(Optional.of("off"));
        assertEquals(Int8Precision.Mode.OFF, Int8Precision.mode());
        assertTrue(Int8Precision.current().reason().contains("setting"));
        System.setProperty(Int8Precision.PROPERTY, "on");
        assertEquals(Int8Precision.Mode.ON, Int8Precision.mode());
        assertTrue(Int8Precision.current().reason().contains("-D" + Int8Precision.PROPERTY));
        Int8Precision.useCommandLine(Int8Precision.Mode.AUTO);
        assertEquals(Int8Precision.Mode.AUTO, Int8Precision.mode());
        Int8Precision.useStored(Optional.of("nonsense"));
        assertEquals(Int8Precision.Mode.AUTO, Int8Precision.storedMode());
        assertThrows(IllegalArgumentException.class, () -> Int8Precision.Mode.parse("maybe"));
    }

    @Test
    void describeNamesTheCpuItsFeaturesAndTheChoice() {
        CpuFeatures epyc = CpuFeatures.parse("amd64", EPYC);
        assertEquals("CPU: AMD EPYC 7B12 64-Core Processor (AVX2 yes, AVX-512 no, VNNI no); "
                        + "int8 precision on: this CPU has no VNNI",
                Int8Precision.describe(epyc, Int8Precision.decide(Int8Precision.Mode.AUTO, "default", epyc)));
        assertTrue(Int8Precision.describe().startsWith("CPU: "));
    }
}
