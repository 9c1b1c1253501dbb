package kami.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A fresh database of its own on the machine's PostgreSQL server (127.0.0.1:5432, trust auth), for Kami processes. */
public final class ServerDatabase implements AutoCloseable {

    public static final int PORT = 5432;
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:" + PORT + "/";

    private final String name;

    private ServerDatabase(String name) {
        this.name = name;
    }

    public static ServerDatabase create(String prefix) throws SQLException {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        executeOn("postgres", "create database " + name);
        return new ServerDatabase(name);
    }

    public String name() {
        return name;
    }

    public String url() {
        return SERVER + name;
    }

    /** The database's URL through a proxy on {@code port} of this machine. */
    public String urlThrough(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    public long count(String sql) throws SQLException {
        try (Connection connection = connect(name); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    public int update(String sql) throws SQLException {
        try (Connection connection = connect(name); Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    /**
     * Ends every other session on this database from the server's side, as a failover or an operator would: each
     * client finds its connection closed in the middle of whatever it was doing.
     *
     * @return the number of sessions ended
     */
    public long cutConnections() throws SQLException {
        return count("select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                + name + "' and pid <> pg_backend_pid()) ended");
    }

    @Override
    public void close() throws SQLException {
        executeOn("postgres", "drop database if exists " + name + " with (force)");
    }

    private static void executeOn(String database, String sql) throws SQLException {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(SERVER + database, "postgres", "");
    }
}
