package kami.platform;

import java.util.Set;

/** The roles this process takes ({@code kami.roles}). */
public interface Roles {

    Set<Role> current();

    default boolean has(Role role) {
        return current().contains(role);
    }

    /** Whether background work (sweepers, pollers, relays) runs in this process. */
    default boolean worker() {
        return has(Role.WORKER);
    }
}
