package kami.payment.channel.wechat;

import java.io.IOException;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The HTTP client under the SDK, one per account so that a slow account cannot hold another's connections. The
 * SDK's hosts are fixed ({@code HostName}), so a non-default base URL is applied by rewriting each request's
 * scheme, host and port; the request signature covers method, path, query and body only, so it stays valid.
 */
final class WechatHttp {

    /** The headers WeChat Pay signs every response with, spelled as the SDK looks them up. */
    static final List<String> RESPONSE_SIGNATURE_HEADERS = List.of("Wechatpay-Timestamp", "Wechatpay-Nonce",
            "Wechatpay-Signature", "Wechatpay-Serial");

    private WechatHttp() {
    }

    static OkHttpClient client(WechatPaySettings settings) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                // A read timeout applies per read; the call as a whole gets one budget too.
                .callTimeout(settings.connectTimeout().plus(settings.readTimeout()))
                .followRedirects(false)
                .followSslRedirects(false);
        if (!settings.usesDefaultBaseUrl()) {
            builder.addInterceptor(new BaseUrlInterceptor(HttpUrl.get(settings.baseUrl().toString())));
        }
        builder.addInterceptor(WechatHttp::requireSignedSuccess);
        return builder.build();
    }

    /**
     * Makes the signature headers of an answer what the SDK can read. The SDK looks them up by their exact spelling
     * ({@code Wechatpay-Timestamp}), while HTTP/2 and some proxies and servers change the case of header names, so
     * they are put back in the documented spelling. A 2xx answer without them did not come from WeChat Pay (a
     * proxy, a captive portal); the SDK would fail on it with a NullPointerException, so it becomes an IOException:
     * a call without a usable answer.
     */
    private static Response requireSignedSuccess(Interceptor.Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        Response.Builder spelled = response.newBuilder();
        for (String header : RESPONSE_SIGNATURE_HEADERS) {
            String value = response.header(header);
            if (value == null && response.isSuccessful()) {
                response.close();
                throw new IOException("HTTP " + response.code() + " answer without the " + header + " header");
            }
            if (value != null) {
                spelled.removeHeader(header).header(header, value);
            }
        }
        return spelled.build();
    }

    private record BaseUrlInterceptor(HttpUrl base) implements Interceptor {

        @Override
        public Response intercept(Chain chain) throws IOException {
            Request request = chain.request();
            HttpUrl url = request.url().newBuilder().scheme(base.scheme()).host(base.host()).port(base.port())
                    .build();
            return chain.proceed(request.newBuilder().url(url).build());
        }
    }
}
