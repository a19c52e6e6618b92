package io.github.promkinesis;

import io.github.promkinesis.config.AdapterConfiguration;
import io.github.promkinesis.config.MissingSettingException;
import org.apache.camel.main.Main;

/** Starts the adapter: Camel main with the routes found in the routes directory. */
public final class Application {

    /** Built-in defaults first, then the application.properties of the working directory, which wins. */
    static final String PROPERTIES_LOCATIONS =
            "classpath:application.properties;optional=true,file:application.properties;optional=true";

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(PROPERTIES_LOCATIONS);
        main.configure().addConfiguration(AdapterConfiguration.class);
        try {
            System.exit(main.run(args));
        } catch (MissingSettingException e) {
            // a configuration mistake, not a crash: the message alone says what to set
            System.err.println("prometheus-remote-kinesis cannot start: " + e.getMessage());
            System.exit(2);
        }
    }
}
