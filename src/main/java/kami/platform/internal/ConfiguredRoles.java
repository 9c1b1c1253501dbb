package kami.platform.internal;

import java.util.Set;
import kami.platform.Role;
import kami.platform.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

@Component
class ConfiguredRoles implements Roles {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredRoles.class);

    private final Set<Role> roles;

    ConfiguredRoles(@Value("${kami.roles:all}") String roles) {
        this.roles = Set.copyOf(Role.parse(roles));
        log.info("Roles of this process: {}", this.roles);
    }

    @Override
    public Set<Role> current() {
        return roles;
    }
}
