package kami.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void carriesPrefixAndUtcDate() {
        assertThat(Ids.next('K', Instant.parse("2026-11-27T23:59:59Z"))).startsWith("K261127").hasSize(19);
    }

    @Test
    void hundredThousandIdsInTheSameSecondAreDistinct() {
        Instant now = Instant.now();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(Ids.next('P', now));
        }
        assertThat(ids).hasSize(100_000);
    }
}
