package io.github.promkinesis.transform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.Label;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PromQL series selectors as Prometheus matches them. */
class SeriesSelectorTest {

    private final List<Label> up = List.of(label("__name__", "up"), label("instance", "a:9100"), label("job", "node-1"));

    @Test
    void everyMatcherMustHold() {
        assertTrue(SeriesSelector.parse("up").matches(up));
        assertTrue(SeriesSelector.parse("{__name__=\"up\",job=~\"node.*\"}").matches(up));
        assertTrue(SeriesSelector.parse("up{job!~\"api.*\", instance!=\"b:9100\"}").matches(up));
        assertFalse(SeriesSelector.parse("up{job=~\"node\"}").matches(up), "regexes match the whole value");
        assertFalse(SeriesSelector.parse("down").matches(up));
        assertTrue(SeriesSelector.parse("up{zone=\"\"}").matches(up), "a missing label is the empty string");
        assertTrue(SeriesSelector.parse("{job=`node-1`}").matches(up), "raw strings");
        assertTrue(SeriesSelector.parse("{job=\"say \\\"hi\\\"\\n\"}").matches(List.of(label("job", "say \"hi\"\n"))),
                "escaped quotes and newlines");
    }

    @Test
    void aMalformedSelectorSaysWhere() {
        for (String bad : List.of("", "{}", "up{job}", "up{job=node}", "up{job=\"node\"", "up{=\"x\"}", "up x")) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> SeriesSelector.parse(bad)).getMessage()
                    .contains("expected"), bad);
        }
    }

    private static Label label(String name, String value) {
        return Label.newBuilder().setName(name).setValue(value).build();
    }
}
