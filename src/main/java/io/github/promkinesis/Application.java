package io.github.promkinesis;

import io.github.promkinesis.config.AdapterConfiguration;
import io.github.promkinesis.config.InvalidSettingException;
import org.apache.camel.main.Main;
import sun.misc.Signal;

/** Starts the adapter: Camel main with the routes found in the routes directory. */
public final class Application {

    /** The working directory's application.properties, then the jar's built-in copy: the first that has a key wins. */
    static final String PROPERTIES_LOCATIONS =
            "file:application.properties;optional=true,classpath:application.properties;optional=true";

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(PROPERTIES_LOCATIONS);
        main.configure().addConfiguration(AdapterConfiguration.class);
        // SIGTERM and SIGINT are the normal way to stop: Camel finishes the requests in flight, then the process
        // exits 0 (the JVM's own handling would exit 143 from inside a shutdown hook)
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> main.completed());
        }
        try {
            System.exit(main.run(args));
        } catch (Exception e) {
            InvalidSettingException setting = invalidSetting(e);
            if (setting == null) {
                throw e;
            }
            // a configuration mistake, not a crash: the message alone says what to set
            System.err.println("prometheus-remote-kinesis cannot start: " + setting.getMessage());
            System.exit(2);
        }
    }

    /** Camel wraps what a bean's setter throws while it loads the routes; the setting's message is inside. */
    private static InvalidSettingException invalidSetting(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidSettingException setting) {
                return setting;
            }
        }
        return null;
    }
}
