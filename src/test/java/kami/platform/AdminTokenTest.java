package kami.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No spelling of an admin path reaches an admin endpoint without the token. */
class AdminTokenTest extends KamiIntegrationTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/admin/products/%d/stock",
            "/api/%%61dmin/products/%d/stock",
            "/api/admin;x=1/products/%d/stock",
            "/api/admin/products/%d/stock;x=1",
            "/api/adm%%69n/products/%d/stock"})
    void everySpellingOfAnAdminPathNeedsTheToken(String pathTemplate) {
        long productId = productWithKeys(1, 100);
        String path = pathTemplate.formatted(productId);

        Http.Response anonymous = http.get(path);
        Http.Response wrongToken = http.get(path, Map.of("Authorization", "Bearer wrong"));

        assertThat(anonymous.status()).as(path).isIn(401, 404);
        assertThat(wrongToken.status()).as(path).isIn(401, 404);
        assertThat(anonymous.body()).doesNotContain("\"available\"");
        assertThat(wrongToken.body()).doesNotContain("\"available\"");
        if (anonymous.status() == 401) {
            assertThat(anonymous.code()).isEqualTo("ADMIN_TOKEN_REQUIRED");
            assertThat(anonymous.raw().headers().firstValue("WWW-Authenticate")).contains("Bearer");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/admin/products/%d/stock", "/api/%%61dmin/products/%d/stock"})
    void theRightTokenOpensTheAdminApi(String pathTemplate) {
        long productId = productWithKeys(1, 100);

        Http.Response response = http.adminGet(pathTemplate.formatted(productId));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("available").asLong()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/metrics", "/actuator/%6detrics", "/actuator;x=1/metrics", "/actuator"})
    void operationalEndpointsOtherThanHealthNeedTheToken(String path) {
        Http.Response anonymous = http.get(path);

        assertThat(anonymous.status()).as(path).isIn(401, 404);
        assertThat(anonymous.body()).doesNotContain("names");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/metrics", "/actuator/metrics/kami.delivery.swept"})
    void theAdminTokenOpensMetrics(String path) {
        assertThat(http.adminGet(path).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness"})
    void healthIsOpenForProbes(String path) {
        assertThat(http.get(path).status()).isEqualTo(200);
    }
}
