package kami.payment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A bank switched off on one instance is a row in {@code channel_path_switch}; every other instance reads the
 * switches every few seconds ({@code kami.payments.channel-refresh-interval}) and stops offering the bank.
 */
class BankSwitchReachesEveryInstanceTest extends KamiIntegrationTest {

    private static final String PATH = "sandbox/sandbox.bank/CMB";

    @Autowired
    private ChannelGuard guard;

    @AfterEach
    void bankOn() {
        jdbc.sql("delete from channel_path_switch where path = :path").param("path", PATH).update();
        guard.refreshSwitches();
    }

    @Test
    void aBankSwitchedOffElsewhereIsHiddenHereWithinSeconds() {
        assertThat(offeredBanks()).contains("CMB");

        // What the admin API of another instance writes; this instance learns it only by reading the table.
        jdbc.sql("insert into channel_path_switch (path, enabled, updated_at) values (:path, false, :now)")
                .param("path", PATH).param("now", Timestamp.from(Instant.now())).update();

        await("the switch is read", Duration.ofSeconds(15), () -> !offeredBanks().contains("CMB"));
        assertThat(offeredBanks()).contains("ICBC");

        jdbc.sql("update channel_path_switch set enabled = true where path = :path").param("path", PATH).update();

        await("the switch is read again", Duration.ofSeconds(15), () -> offeredBanks().contains("CMB"));
    }

    private List<String> offeredBanks() {
        return http.get("/api/payment-methods").json().valueStream()
                .filter(m -> m.get("method").asString().equals("sandbox.bank"))
                .flatMap(m -> m.get("banks").valueStream()).map(JsonNode::asString).toList();
    }
}
