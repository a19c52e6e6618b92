package io.github.promkinesis.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Optional credentials on the remote-write endpoints, as Prometheus' remote_write sends them: basic_auth
 * (username and password) or authorization (a bearer token); either configured one is accepted. With none
 * configured every request passes. Comparison takes constant time, and the Authorization header is removed once
 * checked, so nothing after this step can log it.
 */
public class Authentication implements Processor {

    private static final String HEADER = "Authorization";

    private String basicUsername = "";
    private String basicPassword = "";
    private String bearerToken = "";
    /** The Authorization values that pass, made once from the settings rather than per request. */
    private List<byte[]> accepted = List.of();

    public void setBasicUsername(String basicUsername) {
        this.basicUsername = basicUsername == null ? "" : basicUsername;
        accepted = acceptedHeaders();
    }

    public void setBasicPassword(String basicPassword) {
        this.basicPassword = basicPassword == null ? "" : basicPassword;
        accepted = acceptedHeaders();
    }

    public void setBearerToken(String bearerToken) {
        this.bearerToken = bearerToken == null ? "" : bearerToken;
        accepted = acceptedHeaders();
    }

    @Override
    public void process(Exchange exchange) {
        if (accepted.isEmpty()) {
            return;
        }
        String presented = exchange.getMessage().getHeader(HEADER, String.class);
        exchange.getMessage().removeHeader(HEADER);
        if (presented == null) {
            throw new UnauthorizedException("no Authorization header");
        }
        byte[] presentedBytes = presented.trim().getBytes(StandardCharsets.UTF_8);
        boolean matches = false;
        for (byte[] expected : accepted) {
            matches |= MessageDigest.isEqual(expected, presentedBytes);
        }
        if (!matches) {
            throw new UnauthorizedException("wrong credentials in the Authorization header");
        }
    }

    private List<byte[]> acceptedHeaders() {
        List<byte[]> accepted = new ArrayList<>(2);
        if (!basicUsername.isEmpty()) {
            String credentials = basicUsername + ":" + basicPassword;
            accepted.add(("Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (!bearerToken.isEmpty()) {
            accepted.add(("Bearer " + bearerToken).getBytes(StandardCharsets.UTF_8));
        }
        return accepted;
    }
}
