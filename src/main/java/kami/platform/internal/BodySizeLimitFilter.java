package kami.platform.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Caps request bodies: 1 MiB by default, a larger limit for key imports. A declared length over the limit is
 * refused before reading; a body without one is counted while read and refused when it crosses the limit.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BodySizeLimitFilter extends OncePerRequestFilter {

    private static final Pattern KEY_IMPORT = Pattern.compile("^/api/admin/products/[^/]+/keys$");

    private final long defaultLimitBytes;
    private final long keyImportLimitBytes;
    private final ObjectMapper json;

    BodySizeLimitFilter(@Value("${kami.http.max-body-size:1MB}") DataSize defaultLimit,
            @Value("${kami.vault.import-max-body-size:32MB}") DataSize keyImportLimit, ObjectMapper json) {
        this.defaultLimitBytes = defaultLimit.toBytes();
        this.keyImportLimitBytes = keyImportLimit.toBytes();
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = KEY_IMPORT.matcher(request.getRequestURI()).matches() ? keyImportLimitBytes : defaultLimitBytes;
        if (request.getContentLengthLong() > limit) {
            reject(response, limit);
            return;
        }
        try {
            chain.doFilter(new LimitedRequest(request, limit), response);
        } catch (ServletException e) {
            if (e.getCause() instanceof PayloadTooLargeException && !response.isCommitted()) {
                reject(response, limit);
                return;
            }
            throw e;
        }
    }

    private void reject(HttpServletResponse response, long limit) throws IOException {
        response.setHeader("Connection", "close");
        ProblemResponses.write(response, json, HttpStatus.CONTENT_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                new PayloadTooLargeException(limit).getMessage());
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream limited;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                limited = new LimitedInputStream(super.getInputStream(), limit);
            }
            return limited;
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final long limit;
        private long count;

        LimitedInputStream(ServletInputStream delegate, long limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws PayloadTooLargeException {
            count += n;
            if (count > limit) {
                throw new PayloadTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
