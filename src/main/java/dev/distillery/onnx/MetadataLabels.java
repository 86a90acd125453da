package dev.distillery.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Class labels from a model's metadata_props. Looks at the keys "labels", "classes" and "names" (in that
 * order, case-insensitive) and accepts:
 * <ul>
 *   <li>a JSON array: {@code ["cat", "dog"]};</li>
 *   <li>a dict of index → name, Python style as YOLOv8 writes it ({@code {0: 'person', 1: 'bicycle'}})
 *       or JSON ({@code {"0": "person"}}); ordered by index, gaps filled with "class i";</li>
 *   <li>one label per line, or comma-separated labels.</li>
 * </ul>
 * Missing or empty → an empty list.
 */
public final class MetadataLabels {
    static final List<String> KEYS = List.of("labels", "classes", "names");
    private static final Pattern DICT_ENTRY = Pattern.compile("['\"]?(\\d+)['\"]?\\s*:\\s*(['\"])(.*?)\\2\\s*(?=,|}|$)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetadataLabels() {
    }

    /** Labels from the first label key present in {@code metadata}. */
    public static List<String> from(Map<String, String> metadata) {
        for (String key : KEYS) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey().strip().toLowerCase(Locale.ROOT).equals(key)) {
                    List<String> labels = parse(e.getValue());
                    if (!labels.isEmpty()) {
                        return labels;
                    }
                }
            }
        }
        return List.of();
    }

    /** Parses one label value in any of the accepted styles. */
    public static List<String> parse(String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            return List.of();
        }
        if (v.startsWith("[")) {
            List<String> json = jsonArray(v);
            if (json != null) {
                return json;
            }
        }
        if (v.startsWith("{")) {
            return dict(v);
        }
        String[] parts = v.contains("\n") ? v.split("\\r?\\n") : v.split(",");
        List<String> labels = new ArrayList<>();
        for (String p : parts) {
            if (!p.isBlank()) {
                labels.add(p.strip());
            }
        }
        return labels;
    }

    private static List<String> jsonArray(String v) {
        try {
            JsonNode node = JSON.readTree(v);
            if (!node.isArray()) {
                return null;
            }
            List<String> labels = new ArrayList<>();
            node.forEach(n -> labels.add(n.isTextual() ? n.asText() : n.toString()));
            return labels;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static List<String> dict(String v) {
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        Matcher m = DICT_ENTRY.matcher(v.substring(1, v.endsWith("}") ? v.length() - 1 : v.length()));
        while (m.find()) {
            try {
                byIndex.put(Integer.parseInt(m.group(1)), m.group(3));
            } catch (NumberFormatException e) {
                // an index too large to be a class: ignore it
            }
        }
        if (byIndex.isEmpty()) {
            return List.of();
        }
        int last = byIndex.lastKey();
        if (last > 1_000_000) {
            return List.copyOf(byIndex.values());
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            labels.add(byIndex.getOrDefault(i, "class " + i));
        }
        return labels;
    }
}
