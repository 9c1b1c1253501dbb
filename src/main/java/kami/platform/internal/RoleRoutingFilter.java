package kami.platform.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import kami.platform.Role;
import kami.platform.Roles;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * A process answers only the requests of its roles ({@link Role#servingPath}); others get 404 with a code that
 * tells an operator the load balancer sent them to the wrong pool. Health and the other operational endpoints are
 * answered by every process, so every pool can be probed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RoleRoutingFilter extends OncePerRequestFilter {

    private final Roles roles;
    private final ObjectMapper json;

    RoleRoutingFilter(Roles roles, ObjectMapper json) {
        this.roles = roles;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getServletPath();
        return path.equals("/actuator") || path.startsWith("/actuator/") || roles.has(Role.servingPath(path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Role needed = Role.servingPath(request.getServletPath());
        ProblemResponses.write(response, json, HttpStatus.NOT_FOUND, "NOT_SERVED_BY_THIS_PROCESS", "This process "
                + "runs the roles " + roles.current() + "; this path needs the role "
                + needed.name().toLowerCase(java.util.Locale.ROOT) + " (kami.roles)");
    }
}
