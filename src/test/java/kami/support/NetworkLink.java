package kami.support;

import java.io.IOException;
import java.time.Duration;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * A TCP proxy on a free local port in front of a service (PostgreSQL, RabbitMQ): Kami processes connect through it,
 * so a test can break their network link the way a switch, a firewall or a half-dead peer would, while the service
 * itself stays up.
 */
public final class NetworkLink implements AutoCloseable {

    private final NioReactor reactor;
    private final TcpCrusher crusher;
    private final int port;

    private NetworkLink(NioReactor reactor, TcpCrusher crusher, int port) {
        this.reactor = reactor;
        this.crusher = crusher;
        this.port = port;
    }

    public static NetworkLink to(String host, int servicePort) throws IOException {
        NioReactor reactor = new NioReactor();
        int port = KamiProcess.freePort();
        TcpCrusher crusher = TcpCrusherBuilder.builder().withReactor(reactor)
                .withBindAddress("127.0.0.1", port).withConnectAddress(host, servicePort)
                .withTcpNoDelay(true).buildAndOpen();
        return new NetworkLink(reactor, crusher, port);
    }

    /** The local port to connect to instead of the service's. */
    public int port() {
        return port;
    }

    /**
     * Closes every connection through the link at once; new connections are accepted again right away.
     *
     * @return the number of connections cut
     */
    public int cut() {
        int connections = crusher.getClientAddresses().size();
        crusher.closeAllPairs();
        return connections;
    }

    /**
     * Stops all traffic for a while without closing anything, like a peer that hangs: requests in flight wait
     * for answers and new connections are not accepted, until the link thaws.
     */
    public void freeze(Duration howLong) throws InterruptedException {
        crusher.freeze();
        try {
            Thread.sleep(howLong.toMillis());
        } finally {
            crusher.unfreeze();
        }
    }

    /** Takes the link down: every connection closed, new ones refused, until {@link #plugIn()}. */
    public void unplug() {
        crusher.close();
    }

    /** Accepts connections again after {@link #unplug()}. */
    public void plugIn() {
        crusher.open();
    }

    @Override
    public void close() {
        crusher.close();
        reactor.close();
    }
}
