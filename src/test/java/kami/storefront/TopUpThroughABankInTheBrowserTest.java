package kami.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A wallet user in headless Chromium tops up through online banking: the bank chosen on the wallet page reaches
 * the sandbox's checkout, and paying there credits the wallet.
 */
class TopUpThroughABankInTheBrowserTest extends KamiIntegrationTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private ChromeDriver browser;

    @BeforeEach
    void openBrowser() throws Exception {
        assertThat(CHROMIUM).as("Debian chromium (apt-get install chromium chromium-driver)").exists();
        assertThat(CHROMEDRIVER).as("Debian chromium-driver").exists();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory("kami-chromium-"),
                "--window-size=1200,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theChosenBankReachesTheCheckoutAndPayingCreditsTheWallet() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        browser.get("http://127.0.0.1:" + port + "/wallet");
        browser.findElement(By.id("email")).sendKeys("banking-" + UUID.randomUUID() + "@example.com");
        browser.findElement(By.id("password")).sendKeys("correct horse battery");
        browser.findElement(By.id("sign-up")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("top-up-form")));

        browser.findElement(By.id("amount")).sendKeys("12.34");
        new Select(browser.findElement(By.id("channel"))).selectByValue("sandbox/sandbox.bank/CMB");
        browser.findElement(By.id("top-up")).click();

        wait.until(ExpectedConditions.elementToBeClickable(By.id("pay")));
        assertThat(browser.findElement(By.id("bank")).getText()).isEqualTo("CMB");
        assertThat(browser.findElement(By.id("amount")).getText()).isEqualTo("12.34 CNY");
        browser.findElement(By.id("pay")).click();
        wait.until(ExpectedConditions.textToBe(By.id("balance"), "12.34 CNY"));
    }
}
