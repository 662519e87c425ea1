package dev.switchboard.client;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.switchboard.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An app on Java 17 uses the SDK: the README's example is compiled by a Java 17 {@code javac} against the SDK's
 * classes and run by a Java 17 {@code java} against a server.
 */
class Java17AppTest {
    private static final Path JDKS = Path.of("/usr/lib/jvm");

    @Test
    void theReadmeExampleCompilesAndRunsOnJava17(@TempDir Path classes) throws Exception {
        Path jdk17 = findJdk17();
        assumeTrue(jdk17 != null, "no Java 17 JDK in " + JDKS);
        // the SDK's and its dependencies' classes, without this module's test classes (built for the test JDK)
        String classpath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
        Path source = Path.of("src/test/java/com/example/app/ReadmeExample.java");
        Result compiled = run(List.of(jdk17.resolve("bin/javac").toString(), "-d", classes.toString(),
                                      "-cp", classpath, source.toString()));
        assertEquals(0, compiled.exit(), compiled.output());

        try (TestServer server = TestServer.start()) {
            Result ran = run(List.of(jdk17.resolve("bin/java").toString(), "-cp",
                                     classes + File.pathSeparator + classpath,
                                     "com.example.app.ReadmeExample", Integer.toString(server.port())));
            assertEquals(0, ran.exit(), ran.output());
            assertTrue(ran.output().contains("answer: v=0 (bob's answer SDP)"), ran.output());
        }
    }

    private static Path findJdk17() throws Exception {
        if (!Files.isDirectory(JDKS)) {
            return null;
        }
        try (Stream<Path> jdks = Files.list(JDKS)) {
            return jdks.filter(jdk -> jdk.getFileName().toString().contains("17"))
                    .filter(jdk -> Files.isExecutable(jdk.resolve("bin/javac")))
                    .findFirst().orElse(null);
        }
    }

    private static Result run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "still running: " + command);
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private record Result(int exit, String output) {
    }
}
