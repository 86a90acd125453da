/**
 * The one place where Distillery's quality figures are defined: agreement with the teacher and its honest
 * companions (majority baseline, balanced agreement, Cohen's kappa, per-class recall), the mapping of a teacher's
 * output to a grouped student's class, IoU of binarized maps and detection box matching.
 *
 * <p>A leaf package: plain Java, no JavaFX, no ONNX Runtime, no other Distillery package. Training validation
 * ({@code distill.Distiller}), {@code distillery compare} and the validators ({@code distill.compare}),
 * int8 checks ({@code distill.quant}) and Live ({@code live.Agreement}) all compute their figures here, so the
 * same frames give the same number everywhere. The definitions are listed in docs/architecture.md, "Metrics".
 */
package dev.distillery.metrics;
