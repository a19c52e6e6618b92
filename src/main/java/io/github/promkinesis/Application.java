package io.github.promkinesis;

import io.github.promkinesis.compact.CompactCommand;
import io.github.promkinesis.config.CommandOptions;
import io.github.promkinesis.config.InvalidSettingException;
import io.github.promkinesis.config.ReadSettings;
import io.github.promkinesis.config.RestoreSettings;
import io.github.promkinesis.config.Settings;
import io.github.promkinesis.config.SettingsSource;
import io.github.promkinesis.read.ArchiveDays;
import io.github.promkinesis.restore.RestoreCommand;
import io.github.promkinesis.sizing.SizeCommand;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Starts the adapter: checks every setting, then Camel main with the routes of the routes directory. */
public final class Application {

    /** The working directory's application.properties, then the jar's built-in copy: the first that has a key wins. */
    static final String PROPERTIES_LOCATIONS =
            "file:application.properties;optional=true,classpath:application.properties;optional=true";

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        // commands first: camel-main would print its usage and exit 0 on a word it does not know
        if (args.length > 0 && !args[0].startsWith("-")) {
            System.exit(command(args[0], List.of(args).subList(1, args.length)));
        }
        System.exit(runUntilStopped(wire(settingsOrExit()), args));
    }

    private static int runUntilStopped(Main main, String[] args) throws Exception {
        // SIGTERM and SIGINT are the normal way to stop: Camel finishes the requests in flight, then the process
        // exits 0 (the JVM's own handling would exit 143 from inside a shutdown hook)
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> main.completed());
        }
        try {
            return main.run(args);
        } catch (Exception e) {
            InvalidSettingException setting = invalidSetting(e);
            if (setting == null) {
                throw e;
            }
            exitOnSetting(setting);
            return 2;
        }
    }

    private static int command(String name, List<String> args) throws Exception {
        if (name.equals("restore") || name.equals("export") || name.equals("compact")) {
            RestoreSettings settings;
            try {
                settings = RestoreSettings.read(SettingsSource.standard());
            } catch (InvalidSettingException e) {
                System.err.println(name + ": " + e.getMessage());
                return 2;
            }
            return name.equals("compact") ? CompactCommand.run(args, settings, System.err)
                    : RestoreCommand.run(name, args, settings, System.err);
        }
        if (name.equals("serve-archive")) {
            return serveArchive(args);
        }
        if (name.equals("size")) {
            return SizeCommand.run(args, System.out, System.err);
        }
        System.err.println("prometheus-remote-kinesis: unknown command " + name + " (commands: restore, export, compact,"
                + " serve-archive, size; without a command it runs the adapter)");
        return 2;
    }

    /** The remote-read server: like the adapter, it runs until SIGTERM; a bad setting or option is exit 2. */
    private static int serveArchive(List<String> args) throws Exception {
        ReadSettings settings;
        ArchiveDays archive;
        try {
            settings = ReadSettings.read(SettingsSource.standard());
            String from = null;
            for (Map.Entry<String, String> pair : CommandOptions.pairs(args)) {
                if (!pair.getKey().equals("--from")) {
                    throw new IllegalArgumentException("unknown option " + pair.getKey() + " (serve-archive --from"
                            + " DIRECTORY|s3://BUCKET/PREFIX)");
                }
                from = pair.getValue();
            }
            if (from == null) {
                throw new IllegalArgumentException("--from is required: the compacted days, a directory or"
                        + " s3://BUCKET/PREFIX");
            }
            archive = ArchiveDays.at(from, settings);
        } catch (InvalidSettingException | IllegalArgumentException e) {
            System.err.println("serve-archive: " + e.getMessage());
            return 2;
        }
        return runUntilStopped(archiveReader(settings, archive), new String[0]);
    }

    /** Camel main with the remote-read route (routes/read/) over this archive, not started yet. */
    public static Main archiveReader(ReadSettings settings, ArchiveDays archive) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(PROPERTIES_LOCATIONS);
        main.setOverrideProperties(settings.asProperties());
        main.configure().withRoutesIncludePattern(settings.routesLocation + "/read/*.yaml");
        main.bind(ReadSettings.BEAN, settings);
        main.bind(ArchiveReaderConfiguration.ARCHIVE, archive);
        main.configure().addConfiguration(ArchiveReaderConfiguration.class);
        return main;
    }

    /** Camel main with the adapter's routes, beans and checked settings, not started yet. */
    public static Main wire(Settings settings) {
        LoggerFactory.getLogger(Application.class).info("Routes from {}", settings.routesLocation);
        Main main = new Main();
        main.setPropertyPlaceholderLocations(PROPERTIES_LOCATIONS);
        main.setOverrideProperties(settings.asProperties());
        main.configure().withRoutesIncludePattern(settings.routesLocation + "/*.yaml");
        main.bind(Settings.BEAN, settings);
        main.configure().addConfiguration(AdapterConfiguration.class);
        return main;
    }

    /** Before Camel starts, so that a bad setting is one line and exit code 2, with nothing to shut down. */
    private static Settings settingsOrExit() {
        try {
            return Settings.read(SettingsSource.standard());
        } catch (InvalidSettingException e) {
            exitOnSetting(e);
            return null;
        }
    }

    private static void exitOnSetting(InvalidSettingException setting) {
        // a configuration mistake, not a crash: the message alone says what to set
        System.err.println("prometheus-remote-kinesis cannot start: " + setting.getMessage());
        System.exit(2);
    }

    /** Camel wraps what fails while it starts (the TLS files are read then); the setting's message is inside. */
    private static InvalidSettingException invalidSetting(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidSettingException setting) {
                return setting;
            }
        }
        return null;
    }
}
