package io.github.promkinesis.transform;

import io.github.promkinesis.http.TenantHeader;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Puts the request's tenant (checked by {@link TenantHeader}) on every series as the label TENANT_LABEL,
 * replacing a label of that name the client sent: a client cannot write into another tenant's data.
 */
public class TenantLabel {

    private String label = "tenant";

    public void setLabel(String label) {
        this.label = label;
    }

    public WriteRequest apply(WriteRequest request, Exchange exchange) {
        String tenant = exchange.getProperty(TenantHeader.PROPERTY, String.class);
        return tenant == null ? request : StaticLabels.withLabels(request, Map.of(label, tenant), true);
    }
}
