package kami.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kami.support.BrowserTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A buyer in headless Chromium: product list, order form, sandbox checkout, and the order page that shows the
 * keys by itself once the payment's notify was processed, without a reload.
 */
class BuyAKeyInTheBrowserTest extends BrowserTest {

    @Test
    void aBuyerOrdersPaysAndSeesTheKeyAppearOnTheOrderPage() throws Exception {
        long productId = productWithKeys(3, 4200);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));

        browser.get("http://127.0.0.1:" + port + "/");
        WebElement product = browser.findElement(By.cssSelector("[data-product-id='" + productId + "']"));
        assertThat(product.getText()).contains("42.00 CNY").contains("3 in stock");
        product.findElement(By.linkText("Buy")).click();

        wait.until(ExpectedConditions.elementToBeClickable(By.id("email"))).sendKeys("buyer@example.com");
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

        // The click returns once the form is sent, not necessarily once the answer page has replaced it.
        WebElement error = new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("error")));
        assertThat(error.getText()).contains("Not enough keys");
        assertThat(stock(productId).get("available").asLong()).isEqualTo(1);
    }
}
