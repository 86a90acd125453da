package dev.distillery.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.distillery.model.TeacherException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads an ONNX file into an {@link OnnxModel}, turning every way a file can be wrong into a
 * {@link TeacherException} whose message tells a hobbyist what to do: missing, unreadable, empty,
 * over protobuf's 2 GB limit, truncated, or not an ONNX model at all.
 *
 * <p>Random bytes can parse as a protobuf message, so a parsed message only counts as a model when its
 * IR version is between 1 and {@value #MAX_IR_VERSION} and it has a graph with at least one node and
 * one output.
 */
public final class OnnxModelReader {
    /** Well above today's IR versions (≈ 10–12) but far below what random bytes usually give. */
    static final long MAX_IR_VERSION = 100;
    /** Protobuf cannot hold messages of 2 GB or more. */
    static final long MAX_BYTES = Integer.MAX_VALUE;

    private OnnxModelReader() {
    }

    /** Reads and parses {@code file}. */
    public static OnnxModel read(Path file) {
        String name = String.valueOf(file.getFileName());
        if (Files.isDirectory(file)) {
            throw new TeacherException(file + " is a folder, not an ONNX file. Pick the .onnx file inside it.");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new TeacherException("Model file not found: " + file + ". Check the path, or download the model again.");
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
        if (size == 0) {
            throw new TeacherException(name + " is empty (0 bytes): it holds no model. "
                    + "The download or export probably failed; download or export it again.");
        }
        if (size >= MAX_BYTES) {
            throw new TeacherException(String.format(Locale.ROOT, "%s is %.1f GB: ONNX files of 2 GB or more cannot "
                    + "be read, because that is the protocol-buffers limit that every ONNX reader shares. Such models "
                    + "keep their weights in separate files, which Distillery does not support; pick a smaller model.",
                    name, size / 1e9));
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
        return parse(bytes, name);
    }

    /** Parses the bytes of an ONNX file; {@code name} is how messages refer to it. */
    public static OnnxModel parse(byte[] bytes, String name) {
        if (bytes.length == 0) {
            throw new TeacherException(name + " is empty (0 bytes): it holds no model. "
                    + "The download or export probably failed; download or export it again.");
        }
        ModelProto proto;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.enableAliasing(true);
            proto = ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw parseFailure(name, e);
        } catch (IOException e) {
            throw new TeacherException(notOnnx(name));
        }
        if (!plausible(proto) || !proto.hasGraph() || proto.getGraph().getNodeCount() == 0
                || proto.getGraph().getOutputCount() == 0) {
            throw new TeacherException(notOnnx(name));
        }
        return OnnxModel.of(proto, bytes.length);
    }

    private static boolean plausible(ModelProto proto) {
        return proto.getIrVersion() > 0 && proto.getIrVersion() <= MAX_IR_VERSION;
    }

    private static TeacherException parseFailure(String name, InvalidProtocolBufferException e) {
        String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (msg.contains("ended unexpectedly") || msg.contains("truncated")) {
            MessageLite partial = e.getUnfinishedMessage();
            // A real model starts with a sane IR version; random bytes rarely do.
            if (partial instanceof ModelProto m && plausible(m)) {
                return new TeacherException(name + " looks truncated — download or export it again"
                        + " (the file ends in the middle of the model).");
            }
        }
        if (msg.contains("nesting") || msg.contains("recursion")) {
            return new TeacherException(name + " is nested too deeply to be read safely (subgraphs within subgraphs)."
                    + " It was refused; use another model.");
        }
        return new TeacherException(notOnnx(name));
    }

    private static String notOnnx(String name) {
        return name + " is not an ONNX model: its contents could not be read as one. Check that you picked the"
                + " .onnx file itself, not an archive, a web page or a PyTorch checkpoint (.pt/.pth), which must be"
                + " exported to ONNX first.";
    }

    static TeacherException cannotRead(Path file, IOException e) {
        if (e instanceof AccessDeniedException) {
            return new TeacherException("Cannot read " + file + ": permission denied. Check the file's permissions"
                    + " (it must be readable by you), or copy it somewhere you own.");
        }
        if (e instanceof NoSuchFileException) {
            return new TeacherException("Model file not found: " + file + ". Check the path, or download the model again.");
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new TeacherException("Cannot read " + file + ": " + reason.lines().findFirst().orElse(reason) + ".");
    }
}
