package dev.distillery.cli;

import dev.distillery.core.AlreadyRunningException;
import dev.distillery.core.BuildInfo;
import dev.distillery.core.DataDirectory;
import dev.distillery.core.DataDirectoryException;
import dev.distillery.core.Int8Precision;
import dev.distillery.core.NativeCaches;
import dev.distillery.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/** {@code distillery}: with no sub-command, opens the window. */
@Command(name = "distillery",
        mixinStandardHelpOptions = true,
        versionProvider = DistilleryCommand.Version.class,
        description = {
            "Distill big ONNX vision models into tiny CPU students, test them live, and mine with them.",
            "With no command, opens the Distillery window (importing any ONNX FILE given)."},
        footer = {"",
            "Data lives in ~/.distillery unless DISTILLERY_HOME or --data-dir says otherwise.",
            "Exit codes: 0 ok, 1 error, 2 bad usage, 3 data directory in use by another Distillery."},
        subcommands = {GuiCommand.class, InfoCommand.class, TeacherCommand.class, LiveCommand.class, BenchCommand.class,
            DistillCommand.class, CompareCommand.class, GenerateCommand.class, EvaluateCommand.class,
            YumaCommand.class, LedgerCommand.class, ChallengeCommand.class, ValidatorCommand.class,
            DevnetCommand.class,
            CommandLine.HelpCommand.class})
public final class DistilleryCommand implements Callable<Integer> {
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_IN_USE = 3;

    @Option(names = "--data-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Folder for the database, models, datasets, runs and logs "
                    + "(default: $DISTILLERY_HOME, else ~/.distillery).")
    Path dataDir;

    @Option(names = Int8Precision.OPTION, paramLabel = "auto|on|off", scope = ScopeType.INHERIT,
            converter = Int8PrecisionConverter.class,
            description = "ONNX Runtime's exact int8 arithmetic (session.x64quantprecision): auto (default: on for "
                    + "x86 CPUs without VNNI, whose int8 kernels saturate), on or off. Overrides the setting and "
                    + "-D" + Int8Precision.PROPERTY + ".")
    Int8Precision.Mode int8Precision;

    static final class Int8PrecisionConverter implements CommandLine.ITypeConverter<Int8Precision.Mode> {
        @Override
        public Int8Precision.Mode convert(String value) {
            try {
                return Int8Precision.Mode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The data directory this invocation uses (the option, the environment, or the default). */
    public Path dataDirectory() {
        return DataDirectory.locate(Optional.ofNullable(dataDir));
    }

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "ONNX models to import as teachers in the window (how the file manager opens .onnx files).")
    List<Path> files = List.of();

    @Override
    public Integer call() {
        return new GuiCommand().run(this, files);
    }

    /**
     * Runs the command line and returns the process exit code. This is the app's entry point: once the
     * arguments are parsed, and before any command runs, the native libraries' caches are pointed under the
     * data directory this invocation uses (see {@link NativeCaches}).
     */
    public static int execute(String... args) {
        CommandLine cl = commandLine();
        cl.setExecutionStrategy(withNativeCaches(System.getenv(), System.getProperties(), cl.getExecutionStrategy()));
        return cl.execute(args);
    }

    /**
     * An execution strategy that first resolves the data directory from the parsed {@code --data-dir}
     * (wherever it was given), {@code env}'s {@code DISTILLERY_HOME} or the default, and sets the native
     * caches under it in {@code target}, then runs {@code next}.
     */
    static CommandLine.IExecutionStrategy withNativeCaches(Map<String, String> env, Properties target,
            CommandLine.IExecutionStrategy next) {
        return parsed -> {
            DistilleryCommand root = (DistilleryCommand) parsed.commandSpec().userObject();
            Path data = DataDirectory.locate(Optional.ofNullable(root.dataDir), env, System.getProperty("user.home"));
            NativeCaches.apply(data, env, target);
            return next.execute(parsed);
        };
    }

    /**
     * An execution strategy that makes the parsed {@code --int8-precision} (wherever it was given; absent:
     * none) this process's command-line choice for every ONNX Runtime session, then runs {@code next}.
     */
    static CommandLine.IExecutionStrategy withInt8Precision(CommandLine.IExecutionStrategy next) {
        return parsed -> {
            DistilleryCommand root = (DistilleryCommand) parsed.commandSpec().userObject();
            Int8Precision.useCommandLine(root.int8Precision);
            return next.execute(parsed);
        };
    }

    /** A configured command line; tests redirect its output with setOut/setErr. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DistilleryCommand());
        cl.setExecutionExceptionHandler(DistilleryCommand::handleFailure);
        cl.setExecutionStrategy(withInt8Precision(cl.getExecutionStrategy()));
        return cl;
    }

    /** Known failures become one clear sentence on stderr, not a stack trace. */
    private static int handleFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof AlreadyRunningException) {
            err.println(cmd.getColorScheme().errorText("distillery: " + e.getMessage()));
            return EXIT_IN_USE;
        }
        if (e instanceof DataDirectoryException || e instanceof StoreException
                || e instanceof dev.distillery.model.TeacherException
                || e instanceof dev.distillery.vision.SourceException
                || e instanceof dev.distillery.live.LiveException
                || e instanceof dev.distillery.distill.ParityException
                || e instanceof IllegalStateException || e instanceof java.io.UncheckedIOException) {
            err.println(cmd.getColorScheme().errorText("distillery: " + e.getMessage()));
            return EXIT_ERROR;
        }
        if (e instanceof java.util.concurrent.CancellationException) {
            err.println("distillery: cancelled");
            return EXIT_ERROR;
        }
        err.println(cmd.getColorScheme().errorText("distillery: unexpected error: " + e));
        e.printStackTrace(err);
        return EXIT_ERROR;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo b = BuildInfo.get();
            return new String[] {
                "Distillery " + b.version() + (b.buildTime().isEmpty() ? "" : " (built " + b.buildTime() + ")"),
                "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")
                        + " " + System.getProperty("os.arch"),
            };
        }
    }
}
