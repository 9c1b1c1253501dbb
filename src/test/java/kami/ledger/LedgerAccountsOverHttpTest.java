package kami.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import kami.support.Http;
import org.junit.jupiter.api.Test;

/** Operators open accounts idempotently by code; hot accounts are sharded and carry no limit. */
class LedgerAccountsOverHttpTest extends LedgerIntegrationTest {

    @Test
    void openingTwiceWithTheSameFieldsAnswersWithTheAccountAndOtherFieldsAreRefused() {
        String code = unique("merchant");
        Map<String, Object> body = Map.of("code", code, "owner", "merchant-1", "type", "LIABILITY", "currency",
                "CNY", "limit", "DEBITS_MUST_NOT_EXCEED_CREDITS");

        Http.Response opened = openAccount(body);
        Http.Response again = openAccount(body);
        Http.Response other = openAccount(Map.of("code", code, "owner", "merchant-1", "type", "LIABILITY",
                "currency", "USD"));

        assertThat(opened.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id")).isEqualTo(opened.json().get("id"));
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.code()).isEqualTo("EXISTS_WITH_DIFFERENT_FIELDS");
        Http.Response read = http.adminGet("/api/admin/ledger/accounts/" + opened.json().get("id").asLong());
        assertThat(read.json().get("limit").asString()).isEqualTo("DEBITS_MUST_NOT_EXCEED_CREDITS");
    }

    @Test
    void aHotAccountIsShardedAndMayNotLimitItsBalance() {
        Http.Response hot = openAccount(Map.of("code", unique("platform-fees"), "owner", "platform", "type",
                "REVENUE", "currency", "CNY", "shardCount", 16));
        Http.Response limited = openAccount(Map.of("code", unique("platform-fees"), "owner", "platform", "type",
                "REVENUE", "currency", "CNY", "shardCount", 16, "limit", "DEBITS_MUST_NOT_EXCEED_CREDITS"));

        assertThat(hot.status()).isEqualTo(201);
        assertThat(hot.json().get("shardCount").asInt()).isEqualTo(16);
        assertThat(jdbc.sql("select count(*) from ledger_account where parent_id = :id")
                .param("id", hot.json().get("id").asLong()).query(Long.class).single()).isEqualTo(16);
        assertThat(limited.status()).isEqualTo(400);
        assertThat(limited.code()).isEqualTo("SHARDED_ACCOUNT_CANNOT_LIMIT_BALANCE");
        assertThat(http.adminGet("/api/admin/ledger/accounts/999999999").code()).isEqualTo("ACCOUNT_NOT_FOUND");
    }

    private Http.Response openAccount(Map<String, Object> body) {
        return http.adminPost("/api/admin/ledger/accounts", Http.toJson(body), "application/json");
    }
}
