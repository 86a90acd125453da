package dev.distillery.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {
    @TempDir
    Path dir;
    Database db;
    SettingsStore settings;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("distillery"));
        settings = db.settings();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void roundTripsEveryType() {
        settings.put("s", "héllo — 世界 'quoted' %_");
        settings.put("i", 42);
        settings.put("d", 1234.5);
        settings.put("b", true);
        assertThat(settings.get("s")).contains("héllo — 世界 'quoted' %_");
        assertThat(settings.getInt("i")).hasValue(42);
        assertThat(settings.getDouble("d")).hasValue(1234.5);
        assertThat(settings.getBoolean("b", false)).isTrue();
        assertThat(settings.get("missing")).isEmpty();
        assertThat(settings.get("missing", "fallback")).isEqualTo("fallback");
        assertThat(settings.getBoolean("missing", true)).isTrue();
    }

    @Test
    void putOverwrites() {
        settings.put("k", "one");
        settings.put("k", "two");
        assertThat(settings.get("k")).contains("two");
        assertThat(settings.all()).hasSize(1);
    }

    @Test
    void damagedNumbersReadAsUnset() {
        settings.put("i", "twelve");
        settings.put("d", "NaN");
        assertThat(settings.getInt("i")).isEmpty();
        assertThat(settings.getDouble("d")).isEmpty();
    }

    @Test
    void removesOneKeyOrAPrefix() {
        settings.put("window.x", 1);
        settings.put("window.y", 2);
        settings.put("windows", "kept");
        settings.put("other", "kept");
        assertThat(settings.remove("other")).isTrue();
        assertThat(settings.remove("other")).isFalse();
        assertThat(settings.removeAll("window.")).isEqualTo(2);
        assertThat(settings.all()).containsOnlyKeys("windows");
    }

    @Test
    void prefixRemovalTreatsWildcardsLiterally() {
        settings.put("a_b.x", 1);
        settings.put("axb.x", 2);
        assertThat(settings.removeAll("a_b.")).isEqualTo(1);
        assertThat(settings.all()).containsOnlyKeys("axb.x");
    }

    @Test
    void rejectsOversizedValues() {
        assertThatThrownBy(() -> settings.put("big", "x".repeat(SettingsStore.MAX_VALUE_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(settings.get("big")).isEmpty();
    }
}
