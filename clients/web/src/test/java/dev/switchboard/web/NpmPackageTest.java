package dev.switchboard.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The browser SDK as an npm package: its TypeScript types check an app's use of it ({@code tsc --strict}), and the
 * tarball {@code npm pack} makes installs into an app and imports, types included.
 */
class NpmPackageTest {
    private static final Path WEB = Path.of("").toAbsolutePath();

    @Test
    void theTypesCheckAnAppsUseOfTheSdk() throws Exception {
        run(WEB, "npm", "ci", "--no-audit", "--no-fund");
        run(WEB, "npm", "run", "-s", "check-types");
    }

    @Test
    void thePackedTarballInstallsAndImports(@TempDir Path app) throws Exception {
        Path packed = Files.createDirectories(app.resolve("packed"));
        run(WEB, "npm", "pack", "--pack-destination", packed.toString());
        Path tarball;
        try (Stream<Path> files = Files.list(packed)) {
            tarball = files.filter(file -> file.toString().endsWith(".tgz")).findFirst().orElseThrow();
        }
        String contents = run(app, "tar", "-tzf", tarball.toString());
        assertTrue(contents.contains("package/switchboard.js") && contents.contains("package/switchboard.d.ts"),
                   contents);

        Files.writeString(app.resolve("package.json"), "{\"name\": \"app\", \"private\": true, \"type\": \"module\"}");
        run(app, "npm", "install", "--no-audit", "--no-fund", tarball.toString());
        String exports = run(app, "node", "--input-type=module", "-e",
                             "import * as sdk from 'switchboard-client'; console.log(Object.keys(sdk).sort().join())");
        assertEquals("PeerSession,Room,SignalingError,SwitchboardClient", exports.strip());
        assertTrue(Files.exists(app.resolve("node_modules/switchboard-client/switchboard.d.ts")));
    }

    private static String run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).directory(directory.toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), String.join(" ", command) + " still running");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
        return output;
    }
}
