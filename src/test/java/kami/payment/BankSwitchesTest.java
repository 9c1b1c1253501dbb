package kami.payment;

import static org.assertj.core.api.Assertions.assertThat;

import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Operators switch one bank of a method off and on; switching the method off switches all its banks off. A
 * switched-off bank is not offered and cannot be chosen, and nothing is reserved for an order that chose it.
 */
class BankSwitchesTest extends KamiIntegrationTest {

    private OnlineBanking banking;

    @BeforeEach
    void banking() {
        banking = new OnlineBanking(http);
    }

    @AfterEach
    void everythingOn() {
        banking.switchMethod("enable");
        banking.switchBank("BOC", "enable");
    }

    @Test
    void aSwitchedOffBankIsHiddenAloneUntilSwitchedOnAgain() {
        long productId = productWithKeys(2, 100);

        Http.Response switched = banking.switchBank("BOC", "disable");

        assertThat(switched.status()).as(switched.body()).isEqualTo(200);
        assertThat(banking.bankPath("BOC").get("switchedOn").asBoolean()).isFalse();
        assertThat(banking.bankPath("ICBC").get("switchedOn").asBoolean()).isTrue();
        assertThat(banking.offeredBanks()).doesNotContain("BOC").contains("ICBC", "CMB");
        Http.Response refused = banking.order(productId, OnlineBanking.METHOD, "BOC");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.code()).isEqualTo("PATH_UNAVAILABLE");
        assertThat(stock(productId).get("reserved").asLong()).as("nothing reserved").isZero();

        banking.switchBank("BOC", "enable");

        assertThat(banking.offeredBanks()).contains("BOC");
        assertThat(banking.order(productId, OnlineBanking.METHOD, "BOC").status()).isEqualTo(201);
    }

    @Test
    void aSwitchedOffMethodHidesAllItsBanks() {
        long productId = productWithKeys(1, 100);

        banking.switchMethod("disable");

        assertThat(banking.offeredMethods()).contains("sandbox/sandbox").doesNotContain("sandbox/sandbox.bank");
        assertThat(banking.methodPath().get("banks").valueStream())
                .allMatch(bank -> !bank.get("switchedOn").asBoolean());
        assertThat(banking.order(productId, OnlineBanking.METHOD, "ICBC").code()).isEqualTo("PATH_UNAVAILABLE");

        banking.switchMethod("enable");

        assertThat(banking.offeredBanks()).contains("ICBC", "BOC", "CMB");
    }

    @Test
    void onlyTheMethodsOwnBanksCanBeSwitched() {
        Http.Response unknownBank = banking.switchBank("HSBC", "disable");
        Http.Response methodWithoutBanks = http.adminPost("/api/admin/channels/sandbox/methods/sandbox/banks/ICBC"
                + "/disable", "", "application/json");

        assertThat(unknownBank.status()).isEqualTo(404);
        assertThat(unknownBank.code()).isEqualTo("BANK_NOT_FOUND");
        assertThat(methodWithoutBanks.status()).isEqualTo(404);
        assertThat(methodWithoutBanks.code()).isEqualTo("BANK_NOT_FOUND");
    }
}
