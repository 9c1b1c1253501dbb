package kami.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void rolesAreACommaSeparatedListAndAllOrNothingMeansEveryRole() {
        assertThat(Role.parse("api, notify")).containsExactlyInAnyOrder(Role.API, Role.NOTIFY);
        assertThat(Role.parse("WORKER")).containsExactly(Role.WORKER);
        assertThat(Role.parse("all")).isEqualTo(EnumSet.allOf(Role.class));
        assertThat(Role.parse(" ")).isEqualTo(EnumSet.allOf(Role.class));
        assertThatThrownBy(() -> Role.parse("api,cashier")).hasMessageContaining("unknown role 'cashier'");
    }

    @Test
    void eachPathBelongsToOneRole() {
        assertThat(Role.servingPath("/api/notify/alipay-main")).isEqualTo(Role.NOTIFY);
        assertThat(Role.servingPath("/api/admin/products")).isEqualTo(Role.CONSOLE);
        assertThat(Role.servingPath("/api/orders")).isEqualTo(Role.API);
        assertThat(Role.servingPath("/api/notifyx")).isEqualTo(Role.API);
        assertThat(Role.servingPath("/")).isEqualTo(Role.API);
        assertThat(Role.servingPath("/pay/P1")).isEqualTo(Role.API);
    }
}
