package io.github.promkinesis.config;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Which settings a process reads, for the deployment files' tests outside this package. */
public final class SettingReaders {

    private SettingReaders() {
    }

    /** The environment variables of the settings {@code reader} reads. */
    public static Set<String> variables(Setting.Reader reader) {
        return Arrays.stream(Setting.values()).filter(setting -> setting.readBy(reader)).map(Setting::name)
                .collect(Collectors.toSet());
    }
}
