package dev.distillery.distill.quant;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reading and writing the few ONNX initializer kinds the quantizer needs (little-endian raw data). */
final class Tensors {
    private Tensors() {
    }

    static boolean isFloat(TensorProto t) {
        return t.getDataType() == TensorProto.DataType.FLOAT.getNumber()
                && t.getDataLocation() != TensorProto.DataLocation.EXTERNAL;
    }

    static long elements(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return n;
    }

    static float[] floats(TensorProto t) {
        if (!isFloat(t)) {
            throw new IllegalArgumentException("initializer " + t.getName() + " is not an embedded float tensor");
        }
        int n = Math.toIntExact(elements(t));
        float[] v = new float[n];
        if (!t.getRawData().isEmpty()) {
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        } else {
            for (int i = 0; i < n; i++) {
                v[i] = t.getFloatData(i);
            }
        }
        return v;
    }

    static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return tensor(name, TensorProto.DataType.FLOAT, raw.array(), dims);
    }

    static TensorProto int8(String name, byte[] values, long... dims) {
        return tensor(name, TensorProto.DataType.INT8, values, dims);
    }

    static TensorProto uint8Scalar(String name, int value) {
        return tensor(name, TensorProto.DataType.UINT8, new byte[] {(byte) value});
    }

    static TensorProto floatScalar(String name, float value) {
        return floats(name, new float[] {value});
    }

    static TensorProto int32(String name, int[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asIntBuffer().put(values);
        return tensor(name, TensorProto.DataType.INT32, raw.array(), dims);
    }

    private static TensorProto tensor(String name, TensorProto.DataType type, byte[] raw, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        return t.setRawData(ByteString.copyFrom(raw)).build();
    }
}
