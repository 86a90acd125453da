package dev.distillery.core;

import java.util.Locale;

/**
 * A count with its noun in English, singular for exactly one: "1 miner", "2 miners", "0 classes". One place for
 * it, so no screen says "over 1 miners".
 */
public final class Plural {
    private Plural() {
    }

    /** {@code n} and the noun: "1 image", "3 images", "2 classes". */
    public static String of(long n, String singular) {
        return n + " " + noun(n, singular);
    }

    /** The noun alone, as {@code n} of it reads: "miner" for 1, "miners" otherwise. */
    public static String noun(long n, String singular) {
        return n == 1 ? singular : plural(singular);
    }

    /**
     * The regular English plural: class → classes, entry → entries, miner → miners, UID → UIDs; a "ch" said as
     * "k" takes a plain s (epoch → epochs).
     */
    static String plural(String singular) {
        String s = singular.toLowerCase(Locale.ROOT);
        if (s.endsWith("och")) {
            return singular + "s";
        }
        if (s.endsWith("s") || s.endsWith("x") || s.endsWith("z") || s.endsWith("ch") || s.endsWith("sh")) {
            return singular + "es";
        }
        if (s.length() > 1 && s.endsWith("y") && "aeiou".indexOf(s.charAt(s.length() - 2)) < 0
                && Character.isLowerCase(singular.charAt(singular.length() - 1))) {
            return singular.substring(0, singular.length() - 1) + "ies";
        }
        return singular + "s";
    }
}
