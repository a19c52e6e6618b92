package io.github.promkinesis;

import io.github.promkinesis.config.ReadSettings;
import io.github.promkinesis.metrics.ReadMetrics;
import io.github.promkinesis.read.AnswerSink;
import io.github.promkinesis.read.ArchiveDays;
import io.github.promkinesis.read.ArchiveSeries;
import io.github.promkinesis.read.ArchiveWarmUp;
import io.github.promkinesis.read.ReadAdmission;
import io.github.promkinesis.read.ReadAnswers;
import io.github.promkinesis.read.ReadLimits;
import io.github.promkinesis.read.ReadRequests;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.CamelContextHelper;
import org.slf4j.LoggerFactory;

/**
 * What serve-archive's route (routes/read/remote-read.yaml) needs beyond YAML: the archive, its limits, its metrics,
 * TLS.
 */
public class ArchiveReaderConfiguration implements CamelConfiguration {

    /** The registry name of the archive {@code --from} named. */
    static final String ARCHIVE = "archiveDays";

    @Override
    public void configure(CamelContext context) {
        ReadSettings settings = CamelContextHelper.mandatoryLookup(context, ReadSettings.BEAN, ReadSettings.class);
        ArchiveDays archive = CamelContextHelper.mandatoryLookup(context, ARCHIVE, ArchiveDays.class);
        LoggerFactory.getLogger(ArchiveReaderConfiguration.class).info("Remote read from {}", archive.describe());
        ReadLimits limits = new ReadLimits(settings.maxSeries, settings.maxSamples, settings.maxBytes, settings.timeout);
        context.getRegistry().bind("readAdmission", new ReadAdmission(settings.maxConcurrent));
        context.getRegistry().bind("readRequests", new ReadRequests(limits));
        context.getRegistry().bind("archiveSeries", new ArchiveSeries(archive, limits,
                settings.asProperties().getProperty("tenant.label")));
        ReadMetrics metrics = new ReadMetrics(AdapterConfiguration.meterRegistry(context));
        context.getRegistry().bind(ReadMetrics.BEAN, metrics);
        archive.diskCache().ifPresent(cache -> metrics.diskCache(cache::hits, cache::misses, cache::bytes));
        context.getRegistry().bind("readAnswers", new ReadAnswers(limits, metrics, settings.maxConcurrent));
        context.getRegistry().bind("answerSink", new AnswerSink(limits, metrics));
        AdapterConfiguration.configureTls(context, settings.tlsCertFile, settings.tlsKeyFile);
        // before the server answers its first query (and its health): that query finds the reading path warm
        ArchiveWarmUp.run(archive);
    }
}
