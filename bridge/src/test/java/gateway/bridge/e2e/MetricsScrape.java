package gateway.bridge.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** Reads a gateway's {@code /metrics}: every sample by its name and labels as written. */
final class MetricsScrape {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private MetricsScrape() {
    }

    /** Every sample of the gateway on {@code httpPort}, e.g. {@code x_total{reason="y"}} to its value. */
    static Map<String, Double> of(int httpPort) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            int space = line.lastIndexOf(' ');
            if (!line.startsWith("#") && space > 0) {
                try {
                    samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1).strip()));
                } catch (NumberFormatException notANumber) {
                    // +Inf and the like: no sample a test waits on
                }
            }
        }
        return samples;
    }
}
