/**
 * Static int8 quantization of exported students (QDQ format, ONNX opset 13) and its report.
 *
 * <p>Entry point: {@link dev.distillery.distill.quant.Int8Quantizer#quantize(java.nio.file.Path, java.util.List,
 * java.util.List, java.nio.file.Path)} folds BatchNorm into Conv, quantizes weights (int8, per channel),
 * biases (int32) and activations (uint8, min/max calibrated), writes the model atomically and returns a
 * {@link dev.distillery.distill.quant.QuantReport}: sizes, p50 CPU latency of both models, and agreement
 * (top-1 for classifiers, IoU@0.3 for dense maps) between float and int8 outputs.
 */
package dev.distillery.distill.quant;
