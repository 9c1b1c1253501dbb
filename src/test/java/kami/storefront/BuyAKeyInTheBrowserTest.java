package kami.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A buyer in headless Chromium: product list, order form, sandbox checkout, and the order page that shows the
 * keys by itself once the payment's notify was processed, without a reload.
 */
class BuyAKeyInTheBrowserTest extends KamiIntegrationTest {

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
    void aBuyerOrdersPaysAndSeesTheKeyAppearOnTheOrderPage() throws Exception {
        long productId = productWithKeys(3, 4200);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));

        browser.get("http://127.0.0.1:" + port + "/");
        WebElement product = browser.findElement(By.cssSelector("[data-product-id='" + productId + "']"));
        assertThat(product.getText()).contains("42.00 CNY").contains("3 in stock");
        product.findElement(By.linkText("Buy")).click();

        browser.findElement(By.id("email")).sendKeys("buyer@example.com");
        browser.findElement(By.id("place-order")).click();

        wait.until(ExpectedConditions.elementToBeClickable(By.id("pay")));
        assertThat(browser.findElement(By.id("amount")).getText()).isEqualTo("42.00 CNY");
        browser.findElement(By.id("pay")).click();

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("status")));
        String orderUrl = browser.getCurrentUrl();
        wait.until(ExpectedConditions.textToBe(By.id("status"), "DELIVERED"));
        List<WebElement> keys = browser.findElements(By.cssSelector("#keys li"));
        assertThat(keys).hasSize(1);
        assertThat(keys.getFirst().getText()).startsWith("KEY-");
        assertThat(browser.getCurrentUrl()).as("updated without navigating away").isEqualTo(orderUrl);
        assertThat(stock(productId).get("sold").asLong()).isEqualTo(1);
        Path screenshot = Path.of("target", "screenshots", "order-delivered.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void theOrderFormShowsWhyAnOrderWasRefused() {
        long productId = productWithKeys(1, 100);

        browser.get("http://127.0.0.1:" + port + "/products/" + productId);
        WebElement quantity = browser.findElement(By.id("quantity"));
        quantity.clear();
        quantity.sendKeys("2");
        browser.findElement(By.id("email")).sendKeys("buyer@example.com");
        browser.findElement(By.id("place-order")).click();

        assertThat(browser.findElement(By.id("error")).getText()).contains("Not enough keys");
        assertThat(stock(productId).get("available").asLong()).isEqualTo(1);
    }
}
