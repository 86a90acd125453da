package dev.distillery.distill.target;

import dev.distillery.metrics.ClassMapping;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A student's classes as groups of teacher classes: e.g. every dog breed as "dog", every cat as "cat",
 * every other teacher class as {@value #OTHER}. A group's probability is the sum of its members'
 * probabilities, so the grouped distribution is still a distribution.
 *
 * <p>Written as {@code NAME=SPEC}: SPEC is teacher class indices and inclusive ranges ({@code 151-268,270})
 * or {@code /regex/} searched (case-insensitive) in the teacher's label names. A class may belong to one group
 * only. Teacher classes in no group become {@value #OTHER}, which is the last student class (and is absent when
 * the groups cover every class).
 */
public final class ClassGroups {
    public static final String OTHER = "other";

    /** One named group of teacher class indices (ascending). */
    public record Group(String name, int[] classes) {
        public Group {
            classes = classes.clone();
        }

        @Override
        public int[] classes() {
            return classes.clone();
        }

        /** The resolved form, indices and ranges only: {@code dog=151-268,270}. */
        public String spec() {
            return name + "=" + ranges(classes);
        }
    }

    private final List<Group> groups;
    private final int teacherClasses;
    /** Teacher class → student class. */
    private final int[] map;
    private final boolean hasOther;
    /** Built once: targets are computed per image, and the mapping is immutable. */
    private final ClassMapping mapping;

    private ClassGroups(List<Group> groups, int teacherClasses) {
        this.groups = List.copyOf(groups);
        this.teacherClasses = teacherClasses;
        map = new int[teacherClasses];
        Arrays.fill(map, -1);
        for (int g = 0; g < groups.size(); g++) {
            for (int c : groups.get(g).classes) {
                map[c] = g;
            }
        }
        boolean rest = false;
        for (int i = 0; i < teacherClasses; i++) {
            if (map[i] < 0) {
                map[i] = groups.size();
                rest = true;
            }
        }
        hasOther = rest;
        mapping = ClassMapping.of(map, names());
    }

    /**
     * Parses {@code NAME=SPEC} definitions against a teacher with {@code teacherClasses} classes.
     *
     * @param labels the teacher's label names (for {@code /regex/} specs); may be empty when only indices are used
     * @throws IllegalArgumentException with a message fit for the user: malformed, unknown name, empty or
     *                                  overlapping groups, an index out of range, a regex with no label names
     */
    public static ClassGroups parse(List<String> definitions, List<String> labels, int teacherClasses) {
        if (definitions.isEmpty()) {
            throw new IllegalArgumentException("Give at least one group, e.g. --group dog=151-268");
        }
        if (teacherClasses < 1) {
            throw new IllegalArgumentException("The teacher has no classes to group");
        }
        List<Group> groups = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        int[] owner = new int[teacherClasses];
        Arrays.fill(owner, -1);
        for (String def : definitions) {
            int eq = def.indexOf('=');
            if (eq <= 0 || eq == def.length() - 1) {
                throw new IllegalArgumentException("Group '" + def + "' should look like NAME=SPEC, e.g. dog=151-268 "
                        + "or dog=/retriever|terrier/");
            }
            String name = def.substring(0, eq).strip();
            String spec = def.substring(eq + 1).strip();
            if (!name.matches("[\\p{L}\\p{N}_ .'-]{1,40}")) {
                throw new IllegalArgumentException("Group name '" + name + "' may use letters, digits, spaces and _ . ' - "
                        + "(at most 40)");
            }
            if (name.equalsIgnoreCase(OTHER)) {
                throw new IllegalArgumentException("'" + OTHER + "' is reserved: it collects every class in no group");
            }
            if (!names.add(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("Group '" + name + "' is given twice");
            }
            TreeSet<Integer> members = spec.length() >= 2 && spec.startsWith("/") && spec.endsWith("/")
                    ? byRegex(name, spec.substring(1, spec.length() - 1), labels, teacherClasses)
                    : byIndices(name, spec, teacherClasses);
            if (members.isEmpty()) {
                throw new IllegalArgumentException("Group '" + name + "' matches no teacher class");
            }
            for (int c : members) {
                if (owner[c] >= 0) {
                    throw new IllegalArgumentException("Teacher class " + c + label(labels, c) + " is in both '"
                            + groups.get(owner[c]).name() + "' and '" + name + "'; a class may be in one group only");
                }
                owner[c] = groups.size();
            }
            groups.add(new Group(name, members.stream().mapToInt(Integer::intValue).toArray()));
        }
        return new ClassGroups(groups, teacherClasses);
    }

    /** The teacher's full output as classes, one group per class, named by its label (or its index). */
    public static ClassGroups identity(List<String> labels, int teacherClasses) {
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < teacherClasses; i++) {
            String name = i < labels.size() && !labels.get(i).isBlank() ? labels.get(i) : Integer.toString(i);
            groups.add(new Group(name, new int[] {i}));
        }
        return new ClassGroups(groups, teacherClasses);
    }

    private static TreeSet<Integer> byRegex(String name, String regex, List<String> labels, int n) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("Group '" + name + "' searches label names, but the teacher has none; "
                    + "attach a labels file to it or use class indices such as 151-268");
        }
        Pattern p;
        try {
            p = Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("Group '" + name + "': bad pattern /" + regex + "/: "
                    + e.getDescription());
        }
        TreeSet<Integer> out = new TreeSet<>();
        for (int i = 0; i < Math.min(n, labels.size()); i++) {
            if (p.matcher(labels.get(i)).find()) {
                out.add(i);
            }
        }
        return out;
    }

    private static TreeSet<Integer> byIndices(String name, String spec, int n) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : spec.split(",")) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            int dash = s.indexOf('-', 1);
            try {
                int from = Integer.parseInt((dash < 0 ? s : s.substring(0, dash)).strip());
                int to = dash < 0 ? from : Integer.parseInt(s.substring(dash + 1).strip());
                if (from < 0 || to >= n || from > to) {
                    throw new IllegalArgumentException("Group '" + name + "': " + s + " is outside the teacher's "
                            + "classes 0-" + (n - 1));
                }
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Group '" + name + "': '" + s + "' is neither an index nor a range "
                        + "(e.g. 151-268); for label names write /pattern/");
            }
        }
        return out;
    }

    private static String label(List<String> labels, int c) {
        return c < labels.size() ? " (" + labels.get(c) + ")" : "";
    }

    static String ranges(int[] sorted) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[j] + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(sorted[i]);
            if (j > i) {
                sb.append('-').append(sorted[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }

    public List<Group> groups() {
        return groups;
    }

    public int teacherClasses() {
        return teacherClasses;
    }

    /** True when some teacher classes are in no group and form {@value #OTHER}. */
    public boolean hasOther() {
        return hasOther;
    }

    /** Student classes: one per group, plus {@value #OTHER} when some teacher classes are left. */
    public int size() {
        return groups.size() + (hasOther ? 1 : 0);
    }

    /** Student class names in output order. */
    public List<String> names() {
        List<String> n = new ArrayList<>();
        groups.forEach(g -> n.add(g.name()));
        if (hasOther) {
            n.add(OTHER);
        }
        return n;
    }

    /** The student class of teacher class {@code c}. */
    public int studentClass(int teacherClass) {
        return map[teacherClass];
    }

    /**
     * Teacher class → student class as the metrics see it: the one mapping training targets, validation, compare,
     * validators and Live all use.
     */
    public ClassMapping mapping() {
        return mapping;
    }

    /** Sums teacher probabilities into student-class probabilities ({@link ClassMapping#apply}, as floats). */
    public float[] apply(float[] teacherProbabilities) {
        if (teacherProbabilities.length != teacherClasses) {
            throw new IllegalArgumentException("expected " + teacherClasses + " teacher probabilities, got "
                    + teacherProbabilities.length);
        }
        double[] sum = mapping.apply(teacherProbabilities);
        float[] out = new float[sum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) sum[i];
        }
        return out;
    }

    /** Resolved definitions (indices only), one per group: what {@link #parse} reads back without labels. */
    public List<String> specs() {
        return groups.stream().map(Group::spec).toList();
    }

    /** {@link #specs()} joined with ';' (for ONNX metadata and the database). */
    public String encode() {
        return String.join(";", specs());
    }

    /** Reads {@link #encode()} back. */
    public static ClassGroups decode(String encoded, int teacherClasses) {
        return parse(List.of(encoded.split(";")), List.of(), teacherClasses);
    }

    @Override
    public String toString() {
        return encode() + (hasOther ? " (+" + OTHER + ")" : "");
    }
}
