package dev.distillery.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The shared MobileNetV2 teacher, its labels and the ImageNet sample in ../shared, for tests that need them. */
final class SharedImageNet {
    static final Path SHARED = Path.of(System.getProperty("distillery.shared", "../shared"));
    static final Path TEACHER = SHARED.resolve("teachers/mobilenetv2-12-int8_imagenet1k.onnx");
    static final Path IMAGES = SHARED.resolve("images/imagenet_sample_1000");
    static final Path LABELS = SHARED.resolve("labels/imagenet1k_index_wnid_name.tsv");

    private SharedImageNet() {
    }

    static boolean present() {
        return Files.isRegularFile(TEACHER) && Files.isDirectory(IMAGES) && Files.isRegularFile(LABELS);
    }

    /** Each sample image (sorted by name) with its ImageNet class index, read from the file name's WordNet id. */
    static Map<Path, Integer> classes() throws IOException {
        Map<String, Integer> index = new HashMap<>();
        for (String line : Files.readAllLines(LABELS)) {
            String[] f = line.split("\t");
            index.put(f[1], Integer.parseInt(f[0]));
        }
        Map<Path, Integer> out = new java.util.LinkedHashMap<>();
        try (Stream<Path> files = Files.list(IMAGES)) {
            for (Path p : files.sorted().toList()) {
                Integer c = index.get(p.getFileName().toString().split("_")[0]);
                if (c != null) {
                    out.put(p, c);
                }
            }
        }
        return out;
    }

    static List<String> importArgs() {
        return List.of("teacher", "import", TEACHER.toString(), "--labels", LABELS.toString());
    }
}
