package kami.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import kami.support.BrowserTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A wallet user in headless Chromium tops up through online banking: the bank chosen on the wallet page reaches
 * the sandbox's checkout, and paying there credits the wallet, whether the channel's notify arrives while the
 * wallet page loads or only after it showed the top-up as pending.
 */
class TopUpThroughABankInTheBrowserTest extends BrowserTest {

    @AfterEach
    void notifyAtOnceAgain() {
        sandboxNotifyDelay(0);
    }

    @Test
    void theChosenBankReachesTheCheckoutAndPayingCreditsTheWallet() {
        topUpThroughCmbAndPay();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(ExpectedConditions.textToBe(By.id("balance"), "12.34 CNY"));
        assertThat(browser.findElement(By.id("top-up-status")).getText()).endsWith(": CREDITED");
    }

    @Test
    void aPageThatShowedTheTopUpPendingShowsTheCreditOnceTheNotifyArrives() {
        sandboxNotifyDelay(2_000);
        topUpThroughCmbAndPay();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("top-up-status"), ": PENDING"));
        assertThat(browser.findElement(By.id("balance")).getText()).isEqualTo("0.00 CNY");
        wait.until(ExpectedConditions.textToBe(By.id("balance"), "12.34 CNY"));
        assertThat(browser.findElement(By.id("top-up-status")).getText()).endsWith(": CREDITED");
    }

    private void topUpThroughCmbAndPay() {
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
    }

    private void sandboxNotifyDelay(long millis) {
        assertThat(http.adminPutJson("/api/admin/sandbox/faults", Map.of("notifyDelayMillis", millis,
                "duplicateNotifies", 0, "dropRate", 0.0)).status()).isEqualTo(200);
    }
}
