package dev.distillery.teacher.eval;

import dev.distillery.model.TeacherException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Class labels from a file: plain text with one name per line, or tab-separated with an index and/or
 * an id column ("0	n01440764	tench", "n01440764	tench", "0	tench").
 *
 * @param names display name per class index
 * @param ids   optional identifier per class (a WordNet id such as n01440764), "" when absent
 */
public record LabelSet(List<String> names, List<String> ids) {
    public LabelSet {
        names = List.copyOf(names);
        ids = List.copyOf(ids);
        if (ids.size() != names.size()) {
            throw new IllegalArgumentException("ids and names differ in length");
        }
    }

    public static LabelSet ofNames(List<String> names) {
        return new LabelSet(names, names.stream().map(n -> "").toList());
    }

    public int size() {
        return names.size();
    }

    /** Reads a .txt or .tsv labels file. */
    public static LabelSet read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TeacherException("Cannot read the labels file " + file + ": " + e.getMessage());
        }
        List<String> rows = lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        if (rows.isEmpty()) {
            throw new TeacherException("The labels file " + file + " has no labels in it.");
        }
        boolean tabbed = rows.get(0).contains("\t");
        Map<Integer, String[]> byIndex = new HashMap<>();
        List<String[]> ordered = new ArrayList<>();
        for (String row : rows) {
            String[] cols = tabbed ? row.split("\t") : new String[] {row};
            String index = null;
            String id = "";
            String name;
            if (cols.length >= 3) {
                index = cols[0].strip();
                id = cols[1].strip();
                name = cols[2].strip();
            } else if (cols.length == 2) {
                if (cols[0].strip().matches("\\d+")) {
                    index = cols[0].strip();
                } else {
                    id = cols[0].strip();
                }
                name = cols[1].strip();
            } else {
                name = cols[0].strip();
            }
            String[] entry = {id, name.replace('_', ' ')};
            if (index != null) {
                byIndex.put(Integer.parseInt(index), entry);
            } else {
                ordered.add(entry);
            }
        }
        if (!byIndex.isEmpty()) {
            int max = byIndex.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
            for (int i = 0; i <= max; i++) {
                ordered.add(byIndex.getOrDefault(i, new String[] {"", "class " + i}));
            }
        }
        return new LabelSet(ordered.stream().map(e -> e[1]).toList(), ordered.stream().map(e -> e[0]).toList());
    }

    /**
     * The class an image belongs to, where its place says so: a parent folder named after a class
     * (name or id), or a file name that starts with a class id ("n01440764_tench.JPEG").
     */
    public Optional<Integer> truthFor(Path image) {
        Path parent = image.getParent();
        if (parent != null && parent.getFileName() != null) {
            Optional<Integer> byFolder = find(parent.getFileName().toString());
            if (byFolder.isPresent()) {
                return byFolder;
            }
        }
        String file = image.getFileName().toString();
        int cut = indexOfAny(file, "_-. ");
        String head = cut < 0 ? file : file.substring(0, cut);
        for (int i = 0; i < ids.size(); i++) {
            if (!ids.get(i).isEmpty() && ids.get(i).equalsIgnoreCase(head)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    private Optional<Integer> find(String token) {
        String t = token.replace('_', ' ').toLowerCase(Locale.ROOT);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).toLowerCase(Locale.ROOT).equals(t) || (!ids.get(i).isEmpty() && ids.get(i).equalsIgnoreCase(token))) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
