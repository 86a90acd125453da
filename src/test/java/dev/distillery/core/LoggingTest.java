package dev.distillery.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.rolling.RollingFileAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LoggingTest {
    @TempDir
    Path dir;

    @Test
    void logsGoToTheDataDirectoryWithRotation() throws Exception {
        Path file = Logging.toDirectory(dir, false);
        assertThat(file).isEqualTo(dir.resolve("distillery.log"));
        assertThat(Logging.currentLogFile()).isEqualTo(file);
        LoggerFactory.getLogger("test.logging").info("hello from the test {}", 42);
        LoggerFactory.getLogger("test.logging").debug("debug stays out");
        assertThat(Files.readString(file)).contains("hello from the test 42").doesNotContain("debug stays out");

        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        var appender = (RollingFileAppender<?>) ctx.getLogger("ROOT").getAppender("file");
        assertThat(appender.getRollingPolicy()).isNotNull();
        assertThat(appender.getRollingPolicy().getActiveFileName()).isEqualTo(file.toString());
    }
}
