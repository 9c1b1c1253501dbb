package kami.platform.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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

    private final AdminToken token;

    AdminTokenInterceptor(AdminToken token) {
        this.token = token;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/admin/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (token.authorizes(request.getHeader("Authorization"))) {
            return true;
        }
        response.setHeader("WWW-Authenticate", "Bearer");
        throw new ApiException(HttpStatus.UNAUTHORIZED, "ADMIN_TOKEN_REQUIRED",
                "A valid admin token is required: Authorization: Bearer <token>");
    }
}
