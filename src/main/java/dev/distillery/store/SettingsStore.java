package dev.distillery.store;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Typed access to the settings table. Every write is its own committed transaction. */
public final class SettingsStore {
    /** Longest value a setting can hold (the column size). */
    public static final int MAX_VALUE_LENGTH = 4000;

    private final SettingsDao dao;

    SettingsStore(SettingsDao dao) {
        this.dao = dao;
    }

    public Optional<String> get(String key) {
        return dao.get(key);
    }

    public String get(String key, String fallback) {
        return dao.get(key).orElse(fallback);
    }

    public OptionalInt getInt(String key) {
        Optional<String> v = dao.get(key);
        if (v.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(v.get().trim()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty(); // a hand-edited or damaged value is treated as unset
        }
    }

    public OptionalDouble getDouble(String key) {
        Optional<String> v = dao.get(key);
        if (v.isEmpty()) {
            return OptionalDouble.empty();
        }
        try {
            double d = Double.parseDouble(v.get().trim());
            return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    public boolean getBoolean(String key, boolean fallback) {
        return dao.get(key).map(Boolean::parseBoolean).orElse(fallback);
    }

    public void put(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("Setting " + key + " is longer than " + MAX_VALUE_LENGTH + " characters");
        }
        dao.put(key, value);
    }

    public void put(String key, int value) {
        put(key, Integer.toString(value));
    }

    public void put(String key, double value) {
        put(key, Double.toString(value));
    }

    public void put(String key, boolean value) {
        put(key, Boolean.toString(value));
    }

    public boolean remove(String key) {
        return dao.delete(key) > 0;
    }

    /** Removes every key that starts with {@code prefix}; returns how many. */
    public int removeAll(String prefix) {
        return dao.deletePrefix(prefix);
    }

    public Map<String, String> all() {
        return dao.all();
    }
}
