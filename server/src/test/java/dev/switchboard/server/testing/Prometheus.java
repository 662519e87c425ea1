package dev.switchboard.server.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reads a server's metrics as Prometheus scrapes them: the text format of {@code /observe/metrics}.
 */
public final class Prometheus {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)$");

    private Prometheus() {
    }

    /**
     * Scrapes a server.
     *
     * @param port the server's port on loopback
     * @return sample name (with its labels other than Helidon's scope) to value
     * @throws Exception when the scrape fails
     */
    public static Map<String, Double> scrape(int port) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                        .header("Accept", "text/plain").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            Matcher sample = SAMPLE.matcher(line.strip());
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            String labels = sample.group(2) == null ? "" : sample.group(2)
                    .replaceAll("scope=\"[^\"]*\",?", "")
                    .replace(",}", "}")
                    .replace("{}", "");
            samples.put(sample.group(1) + labels, Double.parseDouble(sample.group(3)));
        }
        return samples;
    }
}
