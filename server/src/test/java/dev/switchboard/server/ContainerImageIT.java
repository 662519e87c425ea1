package dev.switchboard.server;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.switchboard.server.testing.ServerProcess;
import dev.switchboard.testkit.GrpcPeer;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.WebSocketPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The container image that {@code mvn verify} builds with Jib ({@code server/target/jib-image.tar}), run without a
 * container engine: its layers unpacked into a root file system, its entrypoint started there with its
 * environment and working directory, as PID 1 of its own PID namespace (chroot, private /dev and /proc mounts).
 */
class ContainerImageIT {
    private static final Path IMAGE = ServerProcess.REPOSITORY.resolve("server/target/jib-image.tar");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Mounts /dev and /proc into the root file system, then runs the entrypoint there, in its working directory. */
    private static final String RUN_IN_ROOTFS = """
            root=$1; workdir=$2; shift 2
            mount --rbind /dev "$root/dev" && mount -t proc proc "$root/proc" \
              && exec chroot "$root" /bin/sh -c 'cd "$0" && exec env -i "$@"' "$workdir" "$@"
            """;

    @Test
    void theImageServesBothTransportsAndDrainsOnSigterm(@TempDir Path dir) throws Exception {
        assertTrue(Files.exists(IMAGE), IMAGE + " is missing: mvn verify builds it when a base image exists at"
                + " target/base-image/switchboard-base.tar (config/container/base-image.sh builds it; .ci/run does)");
        assertEquals("0", run(List.of("id", "-u")).strip(), "running an image without an engine takes root"
                + " (chroot, mounts): run the tests as root, as .ci/run does");
        Path unpacked = Files.createDirectories(dir.resolve("image"));
        run(List.of("tar", "-xf", IMAGE.toString(), "-C", unpacked.toString()));
        // manifest.json is an array with one image; its config file holds the runtime settings under "config"
        ListValue.Builder manifests = ListValue.newBuilder();
        JsonFormat.parser().merge(Files.readString(unpacked.resolve("manifest.json")), manifests);
        Struct manifest = manifests.getValues(0).getStructValue();
        Struct.Builder image = Struct.newBuilder();
        JsonFormat.parser().merge(Files.readString(unpacked.resolve(manifest.getFieldsOrThrow("Config")
                                                                            .getStringValue())), image);
        Struct config = image.getFieldsOrThrow("config").getStructValue();
        assertEquals(List.of("8080/tcp"), List.copyOf(config.getFieldsOrThrow("ExposedPorts").getStructValue()
                                                              .getFieldsMap().keySet()), "the documented port");
        assertTrue(strings(config, "Env").contains("SERVER_HOST=0.0.0.0"), "listens on every interface: " + config);

        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        for (String layer : strings(manifest, "Layers")) {
            run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", unpacked.resolve(layer).toString(),
                        "-C", rootfs.toString()));
        }
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork",
                                                       "--kill-child=SIGTERM", "sh", "-c", RUN_IN_ROOTFS, "sh",
                                                       rootfs.toString(),
                                                       config.getFieldsOrThrow("WorkingDir").getStringValue()));
        for (String variable : strings(config, "Env")) {
            // the tests stay on loopback, on a free port
            command.add(variable.startsWith("SERVER_HOST=") ? "SERVER_HOST=127.0.0.1" : variable);
        }
        command.add("SERVER_PORT=0");
        command.addAll(strings(config, "Entrypoint"));

        try (ServerProcess server = ServerProcess.start(command)) {
            try (GrpcPeer alice = new GrpcPeer("alice", server.port());
                 WebSocketPeer bob = new WebSocketPeer("bob", server.port(), false)) {
                Peer.meet("boxed", alice, "alice", bob, "bob");
                alice.sendNumbered(offer("boxed", "bob", sdp("u1", "from-the-image")));
                assertTrue(bob.next(OFFER).getOffer().getSdp().contains("s=from-the-image"));
            }
            assertEquals(200, status(server, "/observe/health/ready"));
            assertEquals(200, status(server, "/"), "the demo page is in the image's jar");

            // SIGTERM to the server, PID 1 of its namespace, as an engine stops a container (unshare ignores it)
            server.process().children().forEach(ProcessHandle::destroy);
            awaitLine(server, "Drained", Duration.ofSeconds(30));
            assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "the server exited after the drain");
        }
    }

    private static void awaitLine(ServerProcess server, String text, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (server.output().stream().noneMatch(line -> line.contains(text))) {
            if (System.nanoTime() > deadline) {
                fail("no line with '" + text + "' within " + within + ":\n" + String.join("\n", server.output()));
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());     // poll interval; the deadline bounds it
        }
    }

    private static int status(ServerProcess server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
        return output;
    }

    private static List<String> strings(Struct object, String field) {
        return object.getFieldsOrThrow(field).getListValue().getValuesList().stream().map(Value::getStringValue)
                .toList();
    }
}
