package kami.platform.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Operational endpoints other than health need the admin token: metrics reveal business volume. The path is
 * the servlet path, which the container has already decoded and stripped of path parameters, so encoded
 * spellings of the same path are caught too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class ActuatorAccessFilter extends OncePerRequestFilter {

    private final AdminToken token;
    private final ObjectMapper json;

    ActuatorAccessFilter(AdminToken token, ObjectMapper json) {
        this.token = token;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getServletPath();
        boolean actuator = path.equals("/actuator") || path.startsWith("/actuator/");
        boolean health = path.equals("/actuator/health") || path.startsWith("/actuator/health/");
        return !actuator || health;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (token.authorizes(request.getHeader("Authorization"))) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("WWW-Authenticate", "Bearer");
        ProblemResponses.write(response, json, HttpStatus.UNAUTHORIZED, "ADMIN_TOKEN_REQUIRED",
                "A valid admin token is required: Authorization: Bearer <token>");
    }
}
