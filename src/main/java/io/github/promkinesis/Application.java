package io.github.promkinesis;

import io.github.promkinesis.config.AdapterConfiguration;
import org.apache.camel.main.Main;

/** Starts the adapter: Camel main with the routes found in the routes directory. */
public final class Application {

    /** Built-in defaults first, then the application.properties of the working directory, which wins. */
    static final String PROPERTIES_LOCATIONS =
            "classpath:application.properties;optional=true,file:application.properties;optional=true";

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(Application.class);
        main.setPropertyPlaceholderLocations(PROPERTIES_LOCATIONS);
        main.configure().addConfiguration(AdapterConfiguration.class);
        System.exit(main.run(args));
    }
}
