package io.github.promkinesis.config;

import io.github.promkinesis.kinesis.KinesisClientFactory;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * What YAML cannot say: the start-up check of required settings and the Kinesis client bean.
 * Settings come from application.properties, overridden by environment variables and -D flags.
 */
public class AdapterConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        RequiredSetting.STREAM_NAME.check(context.getPropertiesComponent());
    }

    @BindToRegistry("kinesisClient")
    public KinesisClient kinesisClient(
            @PropertyInject(value = "aws.region", defaultValue = "") String region,
            @PropertyInject(value = "kinesis.endpoint", defaultValue = "") String endpoint,
            @PropertyInject(value = "kinesis.call-timeout-ms", defaultValue = "20000") long callTimeoutMs) {
        return new KinesisClientFactory(region, endpoint, callTimeoutMs).create();
    }
}
