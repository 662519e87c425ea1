package dev.switchboard.web;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One headless Chromium page (Debian's chromium through its chromium-driver; nothing is downloaded), for real
 * WebRTC on this machine: host candidates on loopback, no mDNS names, no background traffic to Google.
 */
final class Browser implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path profile;
    private final ChromeDriver driver;

    Browser() {
        try {
            profile = Files.createTempDirectory("chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String binary = System.getProperty("chromium.binary", "/usr/bin/chromium");
        String chromedriver = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");
        if (!new File(binary).canExecute() || !new File(chromedriver).canExecute()) {
            fail("the browser tests need Debian's chromium and chromium-driver (" + binary + ", " + chromedriver
                         + "): apt-get install chromium chromium-driver; .ci/run installs them");
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(binary)
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                              "--no-first-run", "--disable-quic",
                              "--disable-background-networking", "--disable-component-update", "--disable-sync",
                              "--disable-features=WebRtcHideLocalIpsWithMdns",
                              "--allow-loopback-in-peer-connection",
                              "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                              "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(TIMEOUT);
    }

    /**
     * @param url the page to load
     * @return this browser
     */
    Browser open(String url) {
        driver.get(url);
        return this;
    }

    /**
     * @param script JavaScript returning a value (use {@code return ...})
     * @return its value
     */
    Object eval(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * @param script asynchronous JavaScript: calls {@code arguments[arguments.length - 1]} with its result
     * @return that result
     */
    Object evalAsync(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /**
     * @param condition a JavaScript expression
     * @return whether it is true on the page now
     */
    boolean holds(String condition) {
        return Boolean.TRUE.equals(eval("try { return Boolean(" + condition + "); } catch (e) { return false; }"));
    }

    /**
     * Waits until a JavaScript condition on the page is true.
     *
     * @param condition an expression, e.g. {@code demo.messages.length > 0}
     * @param what      what is awaited, for the failure message
     */
    void await(String condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (holds(condition)) {
                return;
            }
            pause();
        }
        fail("page never had " + what + " within " + TIMEOUT + " (" + condition + "); its log:\n"
                     + eval("return (window.demo ? demo.events : window.legacy ? legacy.events : []).join('\\n')")
                     + "\nconsole:\n" + console());
    }

    private String console() {
        try {
            return String.join("\n", driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .map(Object::toString).toList());
        } catch (RuntimeException unavailable) {
            return "(unavailable)";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);   // polling the page for a condition that has a deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException ignored) {
                // a temporary profile left behind is harmless
            }
        }
    }
}
