package io.github.promkinesis.http;

import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The tenant a request belongs to, from the header Mimir, Cortex and Loki clients send (TENANT_HEADER, e.g.
 * X-Scope-OrgID), checked before the body is read and kept as the exchange property {@value #PROPERTY} for the
 * label step and for routes (a stream per tenant). Values follow Mimir's rules for tenant IDs: 1 to 150 of
 * {@code a-z A-Z 0-9 ! - _ . * ' ( )}, not "." or "..". Without a header name configured, it does nothing.
 */
public class TenantHeader implements Processor {

    /** The exchange property with the checked tenant, absent when the request named none. */
    public static final String PROPERTY = "tenant";
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9!\\-_.*'()]{1,150}");

    private String header = "";
    private boolean required;

    public void setHeader(String header) {
        this.header = header == null ? "" : header.trim();
    }

    public void setRequired(boolean required) {
        this.required = required;
    }

    @Override
    public void process(Exchange exchange) {
        if (header.isEmpty()) {
            return;
        }
        String tenant = exchange.getMessage().getHeader(header, String.class);
        if (tenant == null || tenant.isEmpty()) {
            if (required) {
                throw new InvalidTenantException("no " + header + " header: this endpoint needs the tenant");
            }
            return;
        }
        if (!VALID.matcher(tenant).matches() || tenant.equals(".") || tenant.equals("..")) {
            throw new InvalidTenantException(header + " must be 1 to 150 of a-z A-Z 0-9 ! - _ . * ' ( ), got \""
                    + (tenant.length() > 160 ? tenant.substring(0, 160) + "..." : tenant) + "\"");
        }
        exchange.setProperty(PROPERTY, tenant);
    }
}
