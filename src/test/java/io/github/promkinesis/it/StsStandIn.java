package io.github.promkinesis.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AWS STS as far as AssumeRole goes, for tests (no STS emulator runs here): the query API the SDK speaks
 * (form-encoded POST, Action=AssumeRole, Version=2011-06-15, XML answers). It refuses what STS refuses for a
 * caller: another role, a wrong or missing external ID, an unsigned call or one not signed with the base
 * credentials (AccessDenied, 403), and issues temporary credentials that expire after {@code lifetime}.
 */
final class StsStandIn implements AutoCloseable {

    /** Session token by access key ID, for every set of credentials issued. */
    final Map<String, String> issued = new ConcurrentHashMap<>();

    private final String roleArn;
    private final String externalId;
    private final String callerKeyId;
    private final Duration lifetime;
    private final HttpServer server;

    StsStandIn(String roleArn, String externalId, String callerKeyId, Duration lifetime) throws IOException {
        this.roleArn = roleArn;
        this.externalId = externalId;
        this.callerKeyId = callerKeyId;
        this.lifetime = lifetime;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            if (!"POST".equals(exchange.getRequestMethod()) || !"AssumeRole".equals(form.get("Action"))
                    || !"2011-06-15".equals(form.get("Version"))) {
                error(exchange, 400, "InvalidAction", "Could not find operation " + form.get("Action"));
            } else if (!authorization.startsWith("AWS4-HMAC-SHA256 Credential=" + callerKeyId + "/")
                    || !authorization.contains("/sts/aws4_request")) {
                error(exchange, 403, "AccessDenied", "not signed with the caller's credentials for sts");
            } else if (!roleArn.equals(form.get("RoleArn")) || !externalId.equals(form.get("ExternalId"))
                    || form.getOrDefault("RoleSessionName", "").isEmpty()) {
                error(exchange, 403, "AccessDenied", "User is not authorized to perform: sts:AssumeRole on resource: "
                        + form.get("RoleArn"));
            } else {
                String keyId = "ASIASTANDIN" + String.format("%09d", issued.size() + 1);
                String token = "token-" + UUID.randomUUID();
                issued.put(keyId, token);
                answer(exchange, 200, "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                        + "<AssumeRoleResult><Credentials><AccessKeyId>" + keyId + "</AccessKeyId>"
                        + "<SecretAccessKey>" + UUID.randomUUID() + "</SecretAccessKey><SessionToken>" + token
                        + "</SessionToken><Expiration>" + Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS)
                        + "</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROASTANDIN:"
                        + form.get("RoleSessionName") + "</AssumedRoleId><Arn>" + roleArn.replace(":iam::", ":sts::")
                        .replace(":role/", ":assumed-role/") + "/" + form.get("RoleSessionName")
                        + "</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>"
                        + UUID.randomUUID() + "</RequestId></ResponseMetadata></AssumeRoleResponse>");
            }
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        answer(exchange, status, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
                + "<Type>Sender</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error>"
                + "<RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>");
    }

    private static void answer(HttpExchange exchange, int status, String xml) throws IOException {
        StandInAnswers.send(exchange, status, "text/xml", xml);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
