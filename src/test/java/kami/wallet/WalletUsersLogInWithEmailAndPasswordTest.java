package kami.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;
import kami.support.Http;
import org.junit.jupiter.api.Test;

/** Users sign up with an e-mail address and a password, log in for a token and log out again. */
class WalletUsersLogInWithEmailAndPasswordTest extends WalletTestSupport {

    @Test
    void aUserSignsUpLogsInUsesTheTokenAndLogsOut() {
        String email = newEmail();

        Http.Response created = signUp(email, PASSWORD);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("email").asString()).isEqualTo(email);
        assertThat(created.json().get("id").asLong()).isPositive();

        Http.Response session = login(email.toUpperCase(Locale.ROOT), PASSWORD);
        assertThat(session.status()).as(session.body()).isEqualTo(200);
        String token = session.json().get("token").asString();
        assertThat(session.json().get("expiresAt").asString()).isNotBlank();
        Http.Response wallet = get(token, "/api/wallet");
        assertThat(wallet.status()).as(wallet.body()).isEqualTo(200);
        assertThat(wallet.json().get("balances")).isEmpty();

        assertThat(http.get("/wallet").status()).isEqualTo(200);
        assertThat(http.post("/api/users/logout", "", "application/json", bearer(token)).status()).isEqualTo(204);
        Http.Response afterLogout = get(token, "/api/wallet");
        assertThat(afterLogout.status()).isEqualTo(401);
        assertThat(afterLogout.code()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void theEleventhFailedLoginWithinThirtyMinutesIsLockedOutKnownAddressOrNot() {
        String known = newEmail();
        signUp(known, PASSWORD);
        String unknown = newEmail();

        for (int attempt = 1; attempt <= 10; attempt++) {
            assertThat(login(known, "wrong password " + attempt).code()).isEqualTo("BAD_CREDENTIALS");
            assertThat(login(unknown, "wrong password " + attempt).code()).isEqualTo("BAD_CREDENTIALS");
        }

        Http.Response locked = login(known, PASSWORD);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.code()).isEqualTo("TOO_MANY_LOGIN_ATTEMPTS");
        assertThat(login(unknown, PASSWORD).body()).as("no hint whether the address has an account")
                .isEqualTo(locked.body().replace(known, unknown));
        clock.advance(java.time.Duration.ofMinutes(31));
        assertThat(login(known, PASSWORD).status()).as("the window has passed").isEqualTo(200);
        assertThat(login(known, "wrong again").code()).as("a success starts the count afresh")
                .isEqualTo("BAD_CREDENTIALS");
        assertThat(login(known, PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void passwordsAreStoredAsBcryptHashesOfCostTen() {
        String email = newEmail();
        signUp(email, PASSWORD);

        String hash = jdbc.sql("select password_hash from wallet_user where email = :email").param("email", email)
                .query(String.class).single();

        assertThat(hash).startsWith("$2a$10$").doesNotContain(PASSWORD);
    }

    @Test
    void anUnknownAddressAndAWrongPasswordGetTheSameAnswer() {
        String email = newEmail();
        signUp(email, PASSWORD);

        Http.Response wrongPassword = login(email, PASSWORD + "!");
        Http.Response unknownAddress = login(newEmail(), PASSWORD);

        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(wrongPassword.code()).isEqualTo("BAD_CREDENTIALS");
        assertThat(unknownAddress.status()).isEqualTo(401);
        assertThat(unknownAddress.code()).isEqualTo("BAD_CREDENTIALS");
        assertThat(unknownAddress.json().get("detail")).isEqualTo(wrongPassword.json().get("detail"));
    }

    @Test
    void walletEndpointsNeedAValidToken() {
        for (Map<String, String> headers : java.util.List.of(Map.<String, String>of(),
                Map.of("Authorization", "Bearer not-a-token"), Map.of("Authorization", "Basic abc"),
                Map.of("Authorization", "Bearer " + Http.ADMIN_TOKEN))) {
            Http.Response response = http.get("/api/wallet", headers);
            assertThat(response.status()).as("%s", headers).isEqualTo(401);
            assertThat(response.code()).isEqualTo("UNAUTHENTICATED");
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
        assertThat(http.get("/api/wallet/history?currency=CNY").status()).isEqualTo(401);
        assertThat(http.postJson("/api/wallet/payments", Map.of("orderNo", "K1"), Map.of()).status())
                .isEqualTo(401);
        // A user's token is no admin token.
        assertThat(http.get("/api/admin/payments", bearer(newUser())).code()).isEqualTo("ADMIN_TOKEN_REQUIRED");
    }

    @Test
    void anAddressHasOneAccountWhateverItsCase() {
        String email = newEmail();
        assertThat(signUp(email, PASSWORD).status()).isEqualTo(201);

        Http.Response again = signUp("  " + email.toUpperCase(Locale.ROOT) + " ", "another password");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("EMAIL_TAKEN");
    }

    @Test
    void invalidAddressesAndShortPasswordsAreRefused() {
        assertThat(signUp("not-an-address", PASSWORD).code()).isEqualTo("INVALID_EMAIL");
        assertThat(signUp("a@b", PASSWORD).code()).isEqualTo("INVALID_EMAIL");
        assertThat(signUp(newEmail(), "short").code()).isEqualTo("INVALID_PASSWORD");
        assertThat(signUp(newEmail(), "1234567").status()).isEqualTo(400);
        assertThat(signUp(newEmail(), "x".repeat(73)).code()).isEqualTo("INVALID_PASSWORD");
        assertThat(signUp(newEmail(), "12345678").status()).isEqualTo(201);
    }
}
