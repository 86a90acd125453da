package dev.distillery.cli;

import dev.distillery.core.BuildInfo;
import dev.distillery.core.ComputeThreads;
import dev.distillery.core.CpuFeatures;
import dev.distillery.core.Int8Precision;
import dev.distillery.core.DataDirectory;
import dev.distillery.core.RuntimeVersions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code distillery info}: where the data lives and which native runtimes load on this machine.
 * Reads nothing from the database, so it also works while the window is open.
 */
@Command(name = "info", description = "Show the data directory and the versions of the native runtimes.")
final class InfoCommand implements Callable<Integer> {
    @ParentCommand
    DistilleryCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        DataDirectory dir = DataDirectory.open(parent.dataDirectory());
        out.printf("Distillery      %s%n", BuildInfo.get().version());
        out.printf("Data directory  %s%n", dir.root());
        out.printf("Database        %s (%s)%n", dir.databaseFile(),
                Files.exists(dir.databaseFile()) ? humanBytes(Files.size(dir.databaseFile())) : "not created yet");
        out.printf("Logs            %s%n", dir.logs());
        out.printf("CPU cores       %d%n", ComputeThreads.available());
        CpuFeatures cpu = CpuFeatures.current();
        out.printf("CPU             %s%n", cpu.modelName());
        out.printf("CPU features    %s%n", cpu.featureSummary());
        out.printf("Int8 precision  %s%n", Int8Precision.current().text());
        out.printf("Startup archive %s%n", dev.distillery.core.StartupArchive.describe());
        for (RuntimeVersions.Entry e : RuntimeVersions.probeAll()) {
            out.printf("%-15s %s%n", e.name(), e.display());
        }
        out.flush();
        return 0;
    }

    static String humanBytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
