package io.github.promkinesis.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.promkinesis.Application;
import io.github.promkinesis.compact.CompactCommand;
import io.github.promkinesis.config.ReadSettings;
import io.github.promkinesis.config.RestoreSettings;
import io.github.promkinesis.config.SettingsSource;
import io.github.promkinesis.it.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;

/** The read tests' archive: days compacted by the jar's command in the JVM, served by serve-archive's route. */
final class ServedArchive {

    /** A started serve-archive on 127.0.0.1. */
    record Served(Main main, int port) {
        URI read() {
            return URI.create("http://127.0.0.1:" + port + "/api/v1/read");
        }
    }

    private ServedArchive() {
    }

    /** {@code compact --from raw --to compacted --day days --tmp-dir tmp}, which must exit 0. */
    static void compact(Path raw, Path compacted, Path tmp, String days) throws Exception {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        assertEquals(0, CompactCommand.run(List.of("--from", raw.toString(), "--to", compacted.toString(), "--day",
                days, "--tmp-dir", tmp.toString()), RestoreSettings.read(SettingsSource.environmentOnly(Map.of())),
                new PrintStream(said, true)), said.toString());
    }

    /** serve-archive over {@code compacted} with these settings, on a free port. */
    static Served serve(Path compacted, Map<String, String> settings) throws Exception {
        int port = Ports.free();
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("HTTP_HOST", "127.0.0.1");
        environment.put("HTTP_PORT", String.valueOf(port));
        ReadSettings read = ReadSettings.read(SettingsSource.environmentOnly(environment));
        Main server = Application.archiveReader(read, ArchiveDays.at(compacted.toString(), read));
        server.start();
        return new Served(server, port);
    }
}
