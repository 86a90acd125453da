package dev.distillery.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLockTest {
    @TempDir
    Path dir;

    @Test
    void secondAcquireIsRefusedWithAMessageUntilReleased() throws Exception {
        try (InstanceLock first = InstanceLock.acquire(dir)) {
            assertThat(Files.readString(first.file()).trim())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThatThrownBy(() -> InstanceLock.acquire(dir))
                    .isInstanceOf(AlreadyRunningException.class)
                    .hasMessageContaining("already using the data directory " + dir)
                    .hasMessageContaining("process " + ProcessHandle.current().pid())
                    .hasMessageContaining("--data-dir");
        }
        try (InstanceLock again = InstanceLock.acquire(dir)) {
            assertThat(again.file()).exists();
        }
    }

    @Test
    void aStaleLockFileFromACrashDoesNotBlock() throws Exception {
        Files.writeString(dir.resolve(InstanceLock.FILE_NAME), "99999999");
        try (InstanceLock lock = InstanceLock.acquire(dir)) {
            assertThat(Files.readString(lock.file()).trim())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }
}
