package dev.distillery.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.distillery.model.TeacherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Proves that ONNX Runtime can load a model: creates a session (one thread) and closes it, turning a
 * failure into a {@link TeacherException}: an operator ONNX Runtime lacks is named
 * ("uses the operator Foo, which ONNX Runtime 1.29.0 does not support"); any other problem is
 * reported with the first line of ONNX Runtime's message. Run {@link ModelVetter} first: this loads the model.
 */
public final class OrtLoadCheck {
    private static final Pattern[] UNKNOWN_OP = {
        Pattern.compile("Could not find an implementation for ([^\\s(]+)\\((-?\\d+)\\)"),
        Pattern.compile("No Op registered for ([^\\s(]+) with domain_version of (-?\\d+)"),
        Pattern.compile("Fatal error: ([^\\s(]+?)(?:\\((-?\\d+)\\))? is not a registered function/op"),
    };
    private static final Pattern ORT_PREFIX = Pattern.compile(
            "^(Error code - ORT_\\w+ - message\\s*[-:]\\s*|\\[ONNXRuntimeError] : \\d+ : \\w+ : )");

    private OrtLoadCheck() {
    }

    /** Loads the model file in ONNX Runtime (from its bytes, so no other file is touched). */
    public static void verify(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TeacherException("Cannot read " + file + " to load it in ONNX Runtime: " + e.getMessage());
        }
        verify(bytes);
    }

    /** Loads the model bytes in ONNX Runtime. */
    public static void verify(byte[] model) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = OrtSessions.create(model, OrtSessions.Spec.threads(1).interOp(1))) {
            session.getNumInputs();
        } catch (OrtException e) {
            throw translate(e.getMessage(), env.getVersion());
        }
    }

    /** ONNX Runtime's error message → a message for the user. */
    static TeacherException translate(String ortMessage, String ortVersion) {
        String message = ortMessage == null ? "" : ortMessage;
        for (Pattern p : UNKNOWN_OP) {
            Matcher m = p.matcher(message);
            if (m.find()) {
                String opset = m.group(2) == null || m.group(2).startsWith("-") ? ""
                        : " at opset " + m.group(2);
                return new TeacherException("This model uses the operator " + m.group(1) + ", which ONNX Runtime "
                        + ortVersion + " does not support" + opset + ". Re-export the model with standard operators"
                        + " or an older opset.");
            }
        }
        String first = message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("unknown error");
        first = ORT_PREFIX.matcher(first).replaceFirst("");
        return new TeacherException("ONNX Runtime cannot load this model: " + first);
    }
}
