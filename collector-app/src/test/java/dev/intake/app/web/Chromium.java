package dev.intake.app.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its own chromedriver: both named explicitly, so that Selenium never
 * tries to download a driver or a browser. A fresh profile per instance; downloads go to a directory of its own.
 */
final class Chromium implements AutoCloseable {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final int WIDE = 1280;
    static final int NARROW = 390;

    final ChromeDriver driver;
    private final Path profile;
    final Path downloads;

    Chromium() {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("The browser tests need Debian's chromium and chromium-driver packages ("
                    + BROWSER + ", " + DRIVER + "): apt-get install chromium chromium-driver (.ci/run does this)");
        }
        try {
            profile = Files.createTempDirectory("intake-chromium-profile");
            downloads = Files.createTempDirectory("intake-chromium-downloads");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=" + WIDE + ",900",
                // The fake Entra serves HTTPS with the tests' self-signed certificate.
                "--ignore-certificate-errors");
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
    }

    /**
     * Waits (up to 20 s) until {@code condition} holds; returns its value. An element that goes stale because the
     * page navigated meanwhile (a redirect chain still running) counts as "not yet". ChromeDriver reports some of
     * those not as stale but as an inspector error (the element's node "does not belong to the document" any more,
     * seen in CI on the authorization redirects), so that one counts as "not yet" too.
     */
    <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(200))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    try {
                        return condition.apply(d);
                    } catch (StaleElementReferenceException e) {
                        throw e;
                    } catch (WebDriverException e) {
                        if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                            return null;
                        }
                        throw e;
                    }
                });
    }

    /** Reloads the page until {@code condition} holds: for results of background work (a poll). */
    <T> T reloadUntil(Function<WebDriver, T> condition) {
        return until(d -> {
            d.navigate().refresh();
            T value = condition.apply(d);
            return value == null || Boolean.FALSE.equals(value) ? null : value;
        });
    }

    void resize(int width) {
        driver.manage().window().setSize(new Dimension(width, width == NARROW ? 844 : 900));
    }

    /** The width of the layout viewport, as the page's CSS sees it. */
    long viewportWidth() {
        return (Long) driver.executeScript("return window.innerWidth;");
    }

    /** Whether the page is wider than the viewport (content would need sideways scrolling). */
    boolean overflowsSideways() {
        return (Boolean) driver.executeScript(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth + 1;");
    }

    /** Saves a screenshot of the viewport as {@code target/screenshots/NAME-WIDTH.png}. */
    Path screenshot(String name, int width) {
        Path file = SCREENSHOTS.resolve(name + "-" + width + ".png");
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The downloaded files, once no download is in progress (Chrome writes to temporary names first). */
    List<String> downloaded() {
        try (Stream<Path> files = Files.list(downloads)) {
            List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
            // Chrome writes a download under a hidden temporary name (".com.google.Chrome.*", Debian's Chromium
            // ".org.chromium.Chromium.*") or with ".crdownload" until it is complete.
            boolean inProgress = names.stream().anyMatch(n -> n.endsWith(".crdownload") || n.startsWith("."));
            return inProgress ? List.of() : names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path download(String name) {
        return downloads.resolve(name);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            delete(profile);
            delete(downloads);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp directory left behind is harmless.
        }
    }
}
