"""The server's rules without sockets: the engine, who is online, names, limits, the password, the cache."""
