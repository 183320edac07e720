package gateway.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/calls/{id}/pause-recording} and {@code …/resume-recording} over real sockets. */
class PauseRecordingApiTest {

    private static final String LIVE = "20261201T090000Z-0000live";
    private ApiFixture api;
    private final List<String> asked = new ArrayList<>();

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private void serve(Path dir, String token, CompletableFuture<Boolean> outcome) throws Exception {
        api = ApiFixture.start(dir, token);
        api.live.set((id, paused) -> {
            asked.add(id + (paused ? " pause" : " resume"));
            return id.equals(LIVE) ? Optional.of(outcome) : Optional.empty();
        });
    }

    private static String body(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void pausingACallInProgressAnswersItsNewState(@TempDir Path dir) throws Exception {
        serve(dir, "", CompletableFuture.completedFuture(true));
        HttpResponse<byte[]> r = api.send("POST", "/api/calls/" + LIVE + "/pause-recording");
        assertEquals(200, r.statusCode(), body(r));
        assertEquals("{\"id\":\"" + LIVE + "\",\"recording\":\"paused\",\"changed\":true}", body(r));
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        r = api.send("POST", "/api/calls/" + LIVE + "/resume-recording");
        assertEquals("{\"id\":\"" + LIVE + "\",\"recording\":\"recording\",\"changed\":true}", body(r));
        assertEquals(List.of(LIVE + " pause", LIVE + " resume"), asked);
    }

    @Test
    void aCallNotInProgressIs404AndOneNotAnsweredIs409(@TempDir Path dir) throws Exception {
        serve(dir, "", CompletableFuture.failedFuture(new IllegalStateException("not answered yet")));
        CallsApiTest.assertError(api.send("POST", "/api/calls/20261201T090000Z-00000gone/pause-recording"), 404,
                "not_found");
        CallsApiTest.assertError(api.send("POST", "/api/calls/" + LIVE + "/pause-recording"), 409, "not_answered");
    }

    @Test
    void onlyPostIsAllowedAndIdsAreChecked(@TempDir Path dir) throws Exception {
        serve(dir, "", CompletableFuture.completedFuture(true));
        HttpResponse<byte[]> r = api.get("/api/calls/" + LIVE + "/pause-recording");
        assertEquals(405, r.statusCode());
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
        assertEquals(400, api.send("POST", "/api/calls/..%2f/pause-recording").statusCode());
        assertEquals(List.of(), asked, "nothing reached the calls");
    }

    @Test
    void withATokenItIsRequired(@TempDir Path dir) throws Exception {
        serve(dir, "s3cret-token-0123456789", CompletableFuture.completedFuture(true));
        HttpResponse<byte[]> r = api.client.send(java.net.http.HttpRequest.newBuilder(
                        api.uri("/api/calls/" + LIVE + "/pause-recording"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(401, r.statusCode());
        assertEquals(List.of(), asked);
        assertEquals(200, api.send("POST", "/api/calls/" + LIVE + "/pause-recording").statusCode());
    }
}
