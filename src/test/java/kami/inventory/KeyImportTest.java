package kami.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class KeyImportTest extends KamiIntegrationTest {

    @Test
    void countsImportedDuplicateAndRejectedLines(CapturedOutput output) {
        long productId = productWithKeys(0, 500);
        String body = "ALPHA-1\nBETA-2\r\nALPHA-1\n\n   \n" + "X".repeat(513) + "\n  GAMMA-3  \n";

        Http.Response first = http.adminPost(keysPath(productId), body, "text/plain");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("imported").asInt()).isEqualTo(3);
        assertThat(first.json().get("duplicates").asInt()).isEqualTo(1);
        assertThat(first.json().get("rejected").asInt()).isEqualTo(3);
        assertThat(stock(productId).get("available").asLong()).isEqualTo(3);
        assertThat(output.getAll()).doesNotContain("ALPHA-1", "BETA-2", "GAMMA-3");
    }

    @Test
    void keysAlreadyInTheVaultAreDuplicatesOnALaterImport() {
        long productId = productWithKeys(0, 500);
        http.adminPost(keysPath(productId), "ONE\nTWO", "text/plain");

        Http.Response again = http.adminPost(keysPath(productId), "TWO\nTHREE", "text/plain");

        assertThat(again.json().get("imported").asInt()).isEqualTo(1);
        assertThat(again.json().get("duplicates").asInt()).isEqualTo(1);
        assertThat(stock(productId).get("available").asLong()).isEqualTo(3);
    }

    @Test
    void theSameKeyMayBeSoldUnderTwoProducts() {
        long first = productWithKeys(0, 500);
        long second = productWithKeys(0, 500);
        http.adminPost(keysPath(first), "SHARED-KEY", "text/plain");

        Http.Response other = http.adminPost(keysPath(second), "SHARED-KEY", "text/plain");

        assertThat(other.json().get("imported").asInt()).isEqualTo(1);
    }

    @Test
    void keysAreStoredOnlyAsCiphertextAndKeyedHash() {
        long productId = productWithKeys(0, 500);
        String key = "PLAINTEXT-SECRET-4242";
        http.adminPost(keysPath(productId), key, "text/plain");

        List<Map<String, Object>> rows = jdbc.sql("select * from vault_key where product_id = :p")
                .param("p", productId).query().listOfRows();

        assertThat(rows).hasSize(1);
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, Object> column : rows.getFirst().entrySet()) {
            Object value = column.getValue();
            if (value instanceof byte[] bytes) {
                assertThat(indexOf(bytes, keyBytes)).as("column %s holds the key in clear", column.getKey())
                        .isEqualTo(-1);
            } else {
                assertThat(String.valueOf(value)).as("column %s", column.getKey()).doesNotContain(key);
            }
        }
        assertThat((byte[]) rows.getFirst().get("blind_index")).hasSize(32);
    }

    @Test
    void unknownProductIs404() {
        Http.Response response = http.adminPost(keysPath(987_654_321L), "K", "text/plain");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("PRODUCT_NOT_FOUND");
    }

    @Test
    void moreThanHundredThousandLinesIsRefusedAndNothingIsStored() {
        long productId = productWithKeys(0, 500);

        Http.Response response = http.adminPost(keysPath(productId), uniqueKeys(100_001), "text/plain");

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.code()).isEqualTo("TOO_MANY_KEYS");
        assertThat(stock(productId).get("available").asLong()).isZero();
    }

    @Test
    void bodyOverTheImportLimitIs413() {
        long productId = productWithKeys(0, 500);
        String huge = ("K".repeat(400) + "\n").repeat(90_000);

        Http.Response response = http.adminPost(keysPath(productId), huge, "text/plain");

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.code()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(stock(productId).get("available").asLong()).isZero();
    }

    @Test
    void adminEndpointsNeedTheToken() {
        Http.Response response = http.post("/api/admin/products/1/keys", "K", "text/plain",
                Map.of("Authorization", "Bearer wrong"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("ADMIN_TOKEN_REQUIRED");
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    private static String keysPath(long productId) {
        return "/api/admin/products/" + productId + "/keys";
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
