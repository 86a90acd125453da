package dev.distillery.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * How a teacher's classes map to a student's: each teacher class belongs to exactly one student class (a group
 * such as "dog", or "other"); the identity when the student copies the teacher's classes.
 *
 * <p><b>The teacher's student class</b> — the reference every agreement figure compares the student with — is
 * the argmax of the teacher's probabilities summed per group ({@link #studentClass}), first index on ties. Summing
 * probabilities, not taking the group of the teacher's top-1 class, is what the student is trained on (its soft
 * target is the grouped distribution), and it answers "dog" when the teacher spreads 60 % over ten dog breeds
 * and gives 20 % to one cat. Immutable.
 */
public final class ClassMapping {
    private final List<String> names;
    /** Student class of each teacher class. */
    private final int[] studentOf;
    private final boolean identity;

    private ClassMapping(List<String> names, int[] studentOf) {
        this.names = List.copyOf(names);
        this.studentOf = studentOf;
        boolean id = names.size() == studentOf.length;
        for (int i = 0; i < studentOf.length && id; i++) {
            id = studentOf[i] == i;
        }
        this.identity = id;
    }

    /** Student class i = teacher class i, named by {@code names} when it has one per class, else "0", "1", …. */
    public static ClassMapping identity(int classes, List<String> names) {
        int[] map = new int[classes];
        List<String> n = new ArrayList<>(classes);
        for (int i = 0; i < classes; i++) {
            map[i] = i;
            n.add(names != null && names.size() == classes ? names.get(i) : Integer.toString(i));
        }
        return new ClassMapping(n, map);
    }

    /**
     * @param studentOf the student class of each teacher class, each in 0..names.size()−1
     * @param names     the student's class names, in output order
     */
    public static ClassMapping of(int[] studentOf, List<String> names) {
        for (int s : studentOf) {
            if (s < 0 || s >= names.size()) {
                throw new IllegalArgumentException("Student class " + s + " is outside 0-" + (names.size() - 1));
            }
        }
        return new ClassMapping(names, studentOf.clone());
    }

    /** The same classes under other names (the student's own labels win over group names). */
    public ClassMapping withNames(List<String> newNames) {
        if (newNames.size() != names.size()) {
            throw new IllegalArgumentException("Expected " + names.size() + " names, got " + newNames.size());
        }
        return new ClassMapping(newNames, studentOf);
    }

    public List<String> names() {
        return names;
    }

    public int studentClasses() {
        return names.size();
    }

    public int teacherClasses() {
        return studentOf.length;
    }

    /** Whether student class i is teacher class i for every class. */
    public boolean isIdentity() {
        return identity;
    }

    /** The student class teacher class {@code teacherClass} belongs to. */
    public int studentClassOf(int teacherClass) {
        return studentOf[teacherClass];
    }

    /** Teacher probabilities → student-class probabilities (sums over each group, in double). */
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

    /** The teacher's student class: argmax of {@link #apply} (first on ties). */
    public int studentClass(float[] teacherProbabilities) {
        return argmax(apply(teacherProbabilities));
    }

    /** Index of the largest value, the first on ties. */
    public static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Index of the largest value, the first on ties. */
    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
