package kami.platform.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/** Every {@code /api/admin/**} request needs {@code Authorization: Bearer <admin token>}. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class AdminTokenFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final byte[] token;
    private final ObjectMapper json;

    AdminTokenFilter(AdminToken adminToken, ObjectMapper json) {
        this.token = adminToken.value().getBytes(StandardCharsets.UTF_8);
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/admin/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header != null && header.startsWith(BEARER)
                && MessageDigest.isEqual(token, header.substring(BEARER.length()).trim()
                        .getBytes(StandardCharsets.UTF_8))) {
            chain.doFilter(request, response);
            return;
        }
        var problem = ProblemResponses.problem(HttpStatus.UNAUTHORIZED, "ADMIN_TOKEN_REQUIRED",
                "A valid admin token is required: Authorization: Bearer <token>").getBody();
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setContentType("application/problem+json");
        json.writeValue(response.getOutputStream(), problem);
    }
}
