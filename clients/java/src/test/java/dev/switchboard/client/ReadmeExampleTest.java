package dev.switchboard.client;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.switchboard.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example in the README runs, and is the one in the README.
 */
class ReadmeExampleTest {

    @Test
    void theExampleRunsAgainstAServer() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (TestServer server = TestServer.start()) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            com.example.app.ReadmeExample.main(new String[] {Integer.toString(server.port())});
        } finally {
            System.setOut(original);
        }
        assertEquals("answer: v=0 (bob's answer SDP)", printed.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void theReadmeShowsThisExample() throws Exception {
        String source = Files.readString(Path.of("src/test/java/com/example/app/ReadmeExample.java"));
        String example = source.substring(source.indexOf("import "));
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains(example.strip()), "README.md must show ReadmeExample.java from its imports on");
    }
}
