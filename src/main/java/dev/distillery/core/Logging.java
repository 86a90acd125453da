package dev.distillery.core;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Sends the app's log to {@code <data>/logs/distillery.log}, rolled daily and at 10 MB, 14 days and
 * 200 MB at most. Until this runs, only warnings reach the console (see ConsoleLogConfigurator).
 */
public final class Logging {
    public static final String FILE_NAME = "distillery.log";
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

    private static volatile Path current;

    private Logging() {
    }

    /** The active log file, or null while logging goes to the console only. */
    public static Path currentLogFile() {
        return current;
    }

    /**
     * Configures logging into {@code logsDir}. {@code console} keeps warnings on stderr as well
     * (command-line use).
     */
    public static synchronized Path toDirectory(Path logsDir, boolean console) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Path file = logsDir.resolve(FILE_NAME);

        RollingFileAppender<ch.qos.logback.classic.spi.ILoggingEvent> fileAppender = new RollingFileAppender<>();
        fileAppender.setContext(ctx);
        fileAppender.setName("file");
        fileAppender.setFile(file.toString());
        SizeAndTimeBasedRollingPolicy<ch.qos.logback.classic.spi.ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(ctx);
        policy.setParent(fileAppender);
        policy.setFileNamePattern(logsDir.resolve("distillery.%d{yyyy-MM-dd}.%i.log.gz").toString());
        policy.setMaxFileSize(FileSize.valueOf("10MB"));
        policy.setMaxHistory(14);
        policy.setTotalSizeCap(FileSize.valueOf("200MB"));
        policy.start();
        fileAppender.setRollingPolicy(policy);
        fileAppender.setEncoder(encoder(ctx));
        fileAppender.start();

        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(fileAppender);
        if (console) {
            ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> stderr = new ConsoleAppender<>();
            stderr.setContext(ctx);
            stderr.setName("stderr");
            stderr.setTarget("System.err");
            stderr.setEncoder(encoder(ctx));
            ch.qos.logback.classic.filter.ThresholdFilter warn = new ch.qos.logback.classic.filter.ThresholdFilter();
            warn.setLevel("WARN");
            warn.start();
            stderr.addFilter(warn);
            stderr.start();
            root.addAppender(stderr);
        }
        // Chatty libraries: keep their INFO out of the user's log.
        // Flyway warns on every open that H2 2.4 is newer than it was verified with; our tests cover it.
        ctx.getLogger("org.flywaydb").setLevel(Level.ERROR);
        ctx.getLogger("io.grpc.netty").setLevel(Level.WARN);
        // DJL probes CUDA on every engine load and warns that this CPU build has no GPU: not news to a user
        ctx.getLogger("ai.djl.util.cuda").setLevel(Level.ERROR);
        current = file;
        return file;
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx) {
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern(PATTERN);
        enc.start();
        return enc;
    }
}
