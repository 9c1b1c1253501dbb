package kami.platform;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a Kami process does, chosen with {@code kami.roles}, so that one jar runs as separate pools when a
 * deployment grows: buyers' traffic, channels' callbacks, background work and operators do not take capacity from
 * each other. One process may take any combination; the default is all of them.
 */
public enum Role {
    /** Buyers: storefront pages, the buyer API, the cashier, wallets, the sandbox's pay pages. */
    API,
    /** Payment channels' callbacks: {@code /api/notify/**}. */
    NOTIFY,
    /** Background work: sweepers, status queries, retries, settlement, reconciliation, message relays. */
    WORKER,
    /** Operators: {@code /api/admin/**}. */
    CONSOLE;

    /** Parses a comma-separated list such as {@code api,notify}; {@code all} (or nothing) means every role. */
    public static Set<Role> parse(String roles) {
        Set<Role> parsed = EnumSet.noneOf(Role.class);
        for (String name : roles.split(",")) {
            String role = name.strip().toUpperCase(Locale.ROOT);
            if (role.isEmpty()) {
                continue;
            }
            if (role.equals("ALL")) {
                return EnumSet.allOf(Role.class);
            }
            try {
                parsed.add(valueOf(role));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kami.roles: unknown role '" + name.strip() + "'; the roles are "
                        + "api, notify, worker, console (or all)");
            }
        }
        return parsed.isEmpty() ? EnumSet.allOf(Role.class) : parsed;
    }

    /** The role that serves a request path; health and other operational endpoints are served by every role. */
    public static Role servingPath(String path) {
        if (path.equals("/api/notify") || path.startsWith("/api/notify/")) {
            return NOTIFY;
        }
        if (path.equals("/api/admin") || path.startsWith("/api/admin/")) {
            return CONSOLE;
        }
        return API;
    }
}
