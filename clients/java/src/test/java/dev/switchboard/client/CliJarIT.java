package dev.switchboard.client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.switchboard.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * switchboard-cli as a user runs it: the script beside the pom, the packaged jar, a Java 17 JVM where there is one.
 * It talks to the server it is pointed at and starts none of its own.
 */
class CliJarIT {
    @Test
    void theCliRunsOnItsOwnAgainstARunningServer() throws Exception {
        try (TestServer server = TestServer.start()) {
            List<String> command = new ArrayList<>(List.of("./switchboard-cli", "--server",
                                                           "127.0.0.1:" + server.port(), "--user", "alice",
                                                           "ice-servers"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            java17().ifPresent(java -> builder.environment().put("JAVA", java.toString()));
            Process cli = builder.start();
            String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(cli.waitFor(30, TimeUnit.SECONDS), "the CLI is still running: " + output);
            assertEquals(0, cli.exitValue(), output);
            assertTrue(output.contains("ice_servers {\"iceServers\""), output);
            assertFalse(output.contains("BindException") || output.contains("listening on port"),
                        "the CLI started no server of its own: " + output);
        }
    }

    private static Optional<Path> java17() throws Exception {
        Path jdks = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jdks)) {
            return Optional.empty();
        }
        try (Stream<Path> all = Files.list(jdks)) {
            return all.filter(jdk -> jdk.getFileName().toString().contains("17"))
                    .map(jdk -> jdk.resolve("bin/java")).filter(Files::isExecutable).findFirst();
        }
    }
}
