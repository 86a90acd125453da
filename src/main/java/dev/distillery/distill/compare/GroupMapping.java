package dev.distillery.distill.compare;

import dev.distillery.distill.target.ClassGroups;
import java.util.ArrayList;
import java.util.List;

/**
 * How a student's classes relate to its teacher's: each student class is a group of teacher classes, plus
 * "other" for the teacher classes in no group; or the identity when the student copies the teacher's list.
 *
 * <p>Reads the {@code distillery.groups} metadata through {@link ClassGroups#decode} and adds what a comparison
 * needs on top: renaming (the student's own labels win) and probabilities in double.
 */
public final class GroupMapping {
    /** The student class that collects every teacher class in no group. */
    public static final String OTHER = ClassGroups.OTHER;

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
        ClassGroups groups = ClassGroups.decode(encoded, teacherClasses);
        int[] map = new int[teacherClasses];
        for (int i = 0; i < teacherClasses; i++) {
            map[i] = groups.studentClass(i);
        }
        return new GroupMapping(groups.names(), map);
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
