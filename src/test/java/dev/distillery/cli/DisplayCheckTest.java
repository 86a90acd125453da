package dev.distillery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DisplayCheckTest {
    @Test
    void aMissingGtkIsNamedWhenADisplayIsSet() {
        String m = DisplayCheck.explain("Unable to open DISPLAY", "Linux", Map.of("DISPLAY", ":99"), lib -> false);
        assertThat(m).contains("libgtk-3.so.0", "apt-get install libgtk-3-0").doesNotContain("DISPLAY is not set");
    }

    @Test
    void noDisplaySaysSo() {
        String m = DisplayCheck.explain("Unable to open DISPLAY", "Linux", Map.of(), lib -> false);
        assertThat(m).contains("DISPLAY is not set", "xvfb-run").doesNotContain("libgtk");
    }

    @Test
    void withGtkAndADisplayTheDisplayIsBlamed() {
        String m = DisplayCheck.explain("Unable to open DISPLAY", "Linux", Map.of("DISPLAY", ":5"),
                lib -> lib.equals(DisplayCheck.GTK));
        assertThat(m).contains("display :5", "XAUTHORITY").doesNotContain("libgtk");
    }

    @Test
    void theLibraryLookupFindsALibraryThatExistsAndNotOneThatDoesNot() {
        assertThat(DisplayCheck.libraryPresent("libc.so.6")).isTrue();
        assertThat(DisplayCheck.libraryPresent("libno-such-library-here.so.9")).isFalse();
        assertThat(DisplayCheck.isNoWindow(new RuntimeException("No toolkit found"))).isTrue();
        assertThat(DisplayCheck.isNoWindow(new IllegalStateException("database locked"))).isFalse();
    }
}
