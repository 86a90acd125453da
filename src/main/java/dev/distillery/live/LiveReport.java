package dev.distillery.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;

/**
 * What a headless {@link LiveRun} measured.
 *
 * @param source           the source's description
 * @param framesDecoded    frames read from the source
 * @param wallSeconds      duration of the pipeline run
 * @param models           per model, in pipeline order
 * @param agreement        rolling agreement rate of two models in [0, 1]; null with one model or no common
 *                         frame
 * @param agreementSamples common frames behind {@code agreement}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LiveReport(String source, long framesDecoded, double wallSeconds, List<ModelReport> models,
                         Double agreement, int agreementSamples) {
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public LiveReport {
        models = List.copyOf(models);
    }

    /**
     * @param name                 model display name
     * @param frames               frames the model completed in the pipeline
     * @param fps                  completed frames per second over the run
     * @param p50Ms                median inference latency over the last ~100 frames
     * @param p95Ms                95th percentile latency over the same frames
     * @param dropped              source frames the model skipped
     * @param pipelineMsPerFrame   wall time per completed frame in the pipeline (first frame excluded)
     * @param bareMsPerFrame       time per frame of the same model called in a plain loop on frames of the run
     * @param overheadPercent      (pipeline − bare) / bare × 100; null when not measurable
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelReport(String name, long frames, double fps, Double p50Ms, Double p95Ms, long dropped,
                              Double pipelineMsPerFrame, Double bareMsPerFrame, Double overheadPercent) {
    }

    /** The report as indented JSON. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the live report as JSON: " + e.getMessage(), e);
        }
    }

    /** NaN and infinities become null, which JSON can carry. */
    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
