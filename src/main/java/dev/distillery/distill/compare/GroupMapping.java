package dev.distillery.distill.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a student's classes relate to its teacher's: each student class is a group of teacher classes, plus
 * "other" for the teacher classes in no group; or the identity when the student copies the teacher's list.
 *
 * <p>Reads the {@code distillery.groups} metadata ({@code name=spec;name=spec}, a spec being indices and
 * ranges separated by commas: {@code dog=151-268;cat=281-285,287}). A teacher class named by two groups
 * counts for the first. This is a reader of the encoded form for comparisons only; the distill wizard's own
 * {@code ClassGroups} type (not on this branch yet) is the one that writes it.
 */
public final class GroupMapping {
    /** The student class that collects every teacher class in no group. */
    public static final String OTHER = "other";

    private final List<String> names;
    /** Student class of each teacher class. */
    private final int[] studentOf;

    private GroupMapping(List<String> names, int[] studentOf) {
        this.names = List.copyOf(names);
        this.studentOf = studentOf;
    }

    /** Student class i = teacher class i, for {@code classes} classes named by {@code names} (or "0", "1", …). */
    public static GroupMapping identity(int classes, List<String> names) {
        int[] map = new int[classes];
        List<String> n = new ArrayList<>(classes);
        for (int i = 0; i < classes; i++) {
            map[i] = i;
            n.add(names != null && names.size() == classes ? names.get(i) : Integer.toString(i));
        }
        return new GroupMapping(n, map);
    }

    /**
     * Decodes the groups over {@code teacherClasses} teacher classes.
     *
     * @throws IllegalArgumentException with a sentence a user can act on, when the text is malformed or names a
     *                                  teacher class that does not exist
     */
    public static GroupMapping decode(String encoded, int teacherClasses) {
        int[] map = new int[teacherClasses];
        Arrays.fill(map, -1);
        List<String> names = new ArrayList<>();
        for (String entry : encoded.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Cannot read the class group \"" + entry.strip()
                        + "\": expected NAME=SPEC");
            }
            String name = entry.substring(0, eq).strip();
            int group = names.size();
            names.add(name);
            for (String item : entry.substring(eq + 1).split(",")) {
                String t = item.strip();
                if (t.isEmpty()) {
                    continue;
                }
                int dash = t.indexOf('-', 1);
                int from;
                int to;
                try {
                    from = Integer.parseInt(dash < 0 ? t : t.substring(0, dash).strip());
                    to = dash < 0 ? from : Integer.parseInt(t.substring(dash + 1).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Cannot read \"" + t + "\" in the class group \"" + name
                            + "\": expected a class index or a range like 151-268");
                }
                if (from < 0 || to < from || to >= teacherClasses) {
                    throw new IllegalArgumentException("The class group \"" + name + "\" names teacher classes "
                            + t + " but the teacher has " + teacherClasses + " classes (0-" + (teacherClasses - 1) + ")");
                }
                for (int c = from; c <= to; c++) {
                    if (map[c] < 0) {
                        map[c] = group;
                    }
                }
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("The class groups \"" + encoded + "\" name no group");
        }
        boolean rest = false;
        for (int i = 0; i < map.length; i++) {
            if (map[i] < 0) {
                map[i] = names.size();
                rest = true;
            }
        }
        if (rest) {
            names.add(OTHER);
        }
        return new GroupMapping(names, map);
    }

    /** The same classes under other names (the student's own labels win over group names). */
    public GroupMapping withNames(List<String> newNames) {
        if (newNames.size() != names.size()) {
            throw new IllegalArgumentException("Expected " + names.size() + " names, got " + newNames.size());
        }
        return new GroupMapping(newNames, studentOf);
    }

    /** Student class names, in output order. */
    public List<String> names() {
        return names;
    }

    public int studentClasses() {
        return names.size();
    }

    public int teacherClasses() {
        return studentOf.length;
    }

    /** The student class teacher class {@code teacherClass} belongs to. */
    public int studentClassOf(int teacherClass) {
        return studentOf[teacherClass];
    }

    /** Teacher probabilities → student-class probabilities (sums over each group). */
    public double[] apply(float[] teacherProbabilities) {
        if (teacherProbabilities.length != studentOf.length) {
            throw new IllegalArgumentException("Expected " + studentOf.length + " teacher probabilities, got "
                    + teacherProbabilities.length);
        }
        double[] out = new double[names.size()];
        for (int i = 0; i < teacherProbabilities.length; i++) {
            out[studentOf[i]] += teacherProbabilities[i];
        }
        return out;
    }
}
