"""The server's I/O: the reactor, transports (plain and TLS), the listener, connections and the watchdog."""
