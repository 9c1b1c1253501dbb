package kami.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import kami.ledger.Account;
import kami.ledger.LedgerIntegrationTest;
import kami.ledger.TransferRequest;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;

/** A recorded transfer never changes: corrections are new transfers. The database refuses any change. */
class LedgerTransfersAreImmutableTest extends LedgerIntegrationTest {

    @Test
    void theDatabaseRefusesToUpdateOrDeleteATransfer() {
        Account wallet = wallet("CNY");
        fund(wallet, 100);
        String id = unique("t");
        applied(ledger.transfer(TransferRequest.posted(id, wallet.id(), clearing("CNY").id(), 60, "CNY", null)));

        assertThatThrownBy(() -> jdbc.sql("update ledger_transfer set amount_minor = 1 where transfer_id = :id")
                .param("id", id).update()).isInstanceOf(DataAccessException.class).hasMessageContaining("immutable");
        assertThatThrownBy(() -> jdbc.sql("delete from ledger_transfer where transfer_id = :id").param("id", id)
                .update()).isInstanceOf(DataAccessException.class).hasMessageContaining("immutable");
        assertThat(ledger.transfer(id).orElseThrow().amountMinor()).isEqualTo(60);
    }

    @Test
    void noCodeInKamiUpdatesOrDeletesTransfers() throws Exception {
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            sources.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
                String source = read(file).toLowerCase().replaceAll("\\s+", " ");
                assertThat(source).as(file.toString()).doesNotContain("update ledger_transfer")
                        .doesNotContain("delete from ledger_transfer");
            });
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
