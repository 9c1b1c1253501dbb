package kami.platform.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import kami.platform.ApiException;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every {@code /api/admin/**} request needs {@code Authorization: Bearer <admin token>}. The check is an MVC
 * interceptor, so it matches the same decoded, normalised path as the controllers do: an encoded or
 * parameter-laden path that reaches an admin controller cannot slip past it.
 */
@Configuration(proxyBeanMethods = false)
class AdminTokenInterceptor implements HandlerInterceptor, WebMvcConfigurer {

    private static final String BEARER = "Bearer ";

    private final byte[] token;

    AdminTokenInterceptor(AdminToken adminToken) {
        this.token = adminToken.value().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/admin/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String header = request.getHeader("Authorization");
        if (header != null && header.startsWith(BEARER)
                && MessageDigest.isEqual(token, header.substring(BEARER.length()).trim()
                        .getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        response.setHeader("WWW-Authenticate", "Bearer");
        throw new ApiException(HttpStatus.UNAUTHORIZED, "ADMIN_TOKEN_REQUIRED",
                "A valid admin token is required: Authorization: Bearer <token>");
    }
}
