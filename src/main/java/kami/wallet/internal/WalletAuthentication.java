package kami.wallet.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import kami.platform.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every {@code /api/wallet/**} request needs {@code Authorization: Bearer <login token>}. Like the admin token
 * check, this is an MVC interceptor, so it sees the same normalised path as the controllers; controllers then
 * take the {@link SignedInUser} as a parameter.
 */
@Configuration(proxyBeanMethods = false)
class WalletAuthentication implements HandlerInterceptor, HandlerMethodArgumentResolver, WebMvcConfigurer {

    static final String PATHS = "/api/wallet/**";
    private static final String USER_ATTRIBUTE = SignedInUser.class.getName();

    private final WalletUsers users;

    WalletAuthentication(WalletUsers users) {
        this.users = users;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns(PATHS);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        SignedInUser user = users.authenticate(request.getHeader("Authorization"))
                .orElseThrow(() -> unauthenticated(response));
        request.setAttribute(USER_ATTRIBUTE, user);
        return true;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == SignedInUser.class;
    }

    @Override
    public SignedInUser resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
            NativeWebRequest request, WebDataBinderFactory binders) {
        Object user = request.getAttribute(USER_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (user instanceof SignedInUser signedIn) {
            return signedIn;
        }
        throw unauthenticated(request.getNativeResponse(HttpServletResponse.class));
    }

    static ApiException unauthenticated(@Nullable HttpServletResponse response) {
        if (response != null) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        return new ApiException(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "Log in first and send the token: "
                + "Authorization: Bearer <token>");
    }
}
