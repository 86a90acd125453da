package dev.distillery.onnx;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.distillery.model.TeacherException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides whether a model is safe and usable as a teacher, before anything runs it. Checks, in order:
 * <ol>
 *   <li>no tensor (initializer, Constant value, any tensor attribute, subgraphs and functions included)
 *       keeps its data in an external file — a path there can point anywhere on disk;</li>
 *   <li>no operator from a custom domain (allowed: "", "ai.onnx", "ai.onnx.ml", "com.microsoft");</li>
 *   <li>at most {@value #MAX_NODES} nodes and subgraphs nested at most {@value #MAX_DEPTH} deep;</li>
 *   <li>an image-like input exists ({@link ImageInputs#find}).</li>
 * </ol>
 * Each failure is a {@link TeacherException} saying what is wrong and what to do.
 */
public final class ModelVetter {
    /** Graphs larger than this are refused (big real vision models have a few thousand nodes). */
    public static final long MAX_NODES = 200_000;
    /** Subgraph nesting deeper than this is refused (the main graph is depth 0). */
    public static final int MAX_DEPTH = 8;
    /** Operator domains ONNX Runtime implements. */
    public static final Set<String> ALLOWED_DOMAINS = Set.of("", "ai.onnx", "ai.onnx.ml", "com.microsoft");

    private static final Pattern WINDOWS_ABSOLUTE = Pattern.compile("^[A-Za-z]:.*|^[/\\\\].*");

    private ModelVetter() {
    }

    /**
     * Vets {@code model}, read from {@code modelFile} (whose folder external data paths are resolved
     * against); returns normally when the model is acceptable.
     */
    public static void vet(OnnxModel model, Path modelFile) {
        checkExternalData(model, modelFile);
        checkDomains(model);
        checkSize(model);
        if (ImageInputs.find(model.info()).isEmpty()) {
            throw new TeacherException(ImageInputs.missingMessage(model.info()));
        }
    }

    private static void checkExternalData(OnnxModel model, Path modelFile) {
        List<TensorProto> external = new ArrayList<>();
        OnnxGraphs.forEachTensor(model.proto(), t -> {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                external.add(t);
            }
        });
        if (external.isEmpty()) {
            return;
        }
        Path folder = modelFile.toAbsolutePath().normalize().getParent();
        for (TensorProto t : external) {
            String location = location(t);
            if (location != null && isOutside(location, folder)) {
                throw new TeacherException("This model references a file outside its folder ('" + location
                        + "', for tensor '" + t.getName() + "'). It was refused for safety: a model must not read"
                        + " other files on your computer.");
            }
        }
        String first = location(external.get(0));
        throw new TeacherException("This model keeps its weights in separate files (" + external.size()
                + " tensors, e.g. '" + (first == null ? "no location given" : first) + "'), which Distillery does"
                + " not support. Re-export it with the weights inside the .onnx file, e.g. in Python:"
                + " onnx.save(onnx.load(path), 'model.onnx', save_as_external_data=False) (works below 2 GB).");
    }

    private static String location(TensorProto t) {
        for (StringStringEntryProto e : t.getExternalDataList()) {
            if ("location".equals(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Absolute paths (Unix or Windows style) and paths that climb out of {@code folder} are outside. */
    static boolean isOutside(String location, Path folder) {
        if (location.isEmpty()) {
            return false;
        }
        String unified = location.replace('\\', '/');
        if (WINDOWS_ABSOLUTE.matcher(location).matches() || location.indexOf('\0') >= 0) {
            return true;
        }
        try {
            Path p = Path.of(unified);
            if (p.isAbsolute()) {
                return true;
            }
            return folder == null || !folder.resolve(p).normalize().startsWith(folder);
        } catch (InvalidPathException e) {
            return true;
        }
    }

    private static void checkDomains(OnnxModel model) {
        Map<String, Set<String>> custom = new TreeMap<>();
        OnnxGraphs.forEachNode(model.proto(), n -> {
            if (!ALLOWED_DOMAINS.contains(n.getDomain())) {
                custom.computeIfAbsent(n.getDomain(), d -> new TreeSet<>()).add(n.getOpType());
            }
        });
        if (!custom.isEmpty()) {
            String list = custom.entrySet().stream()
                    .map(e -> "domain '" + e.getKey() + "' (" + String.join(", ", e.getValue()) + ")")
                    .collect(Collectors.joining("; "));
            throw new TeacherException("This model uses custom operators: " + list + ". Distillery only runs"
                    + " standard ONNX operators (domains ai.onnx, ai.onnx.ml and com.microsoft): custom operators"
                    + " need native code that is not shipped and would be unsafe to load. Re-export the model"
                    + " with standard operators only.");
        }
    }

    private static void checkSize(OnnxModel model) {
        long nodes = model.nodeCount();
        if (nodes > MAX_NODES) {
            throw new TeacherException("This model has " + nodes + " nodes, more than the " + MAX_NODES
                    + " Distillery accepts. Real vision models have a few thousand; this one was refused.");
        }
        int[] depth = {0};
        OnnxGraphs.forEachGraph(model.proto(), g -> depth[0] = Math.max(depth[0], g.depth()));
        if (depth[0] > MAX_DEPTH) {
            throw new TeacherException("This model nests subgraphs " + depth[0] + " levels deep, more than the "
                    + MAX_DEPTH + " Distillery accepts; it was refused.");
        }
    }
}
