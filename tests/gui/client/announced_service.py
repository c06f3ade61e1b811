"""A chat service announced on 127.0.0.1 by a process of its own, for tests that kill it without a goodbye.

    python -m tests.gui.client.announced_service NAME PORT

Prints ``registered`` once the announcement is out, then keeps it until stdin closes (and says goodbye then),
or until it is killed (and says nothing).
"""

from __future__ import annotations

import socket
import sys

from zeroconf import IPVersion, ServiceInfo, Zeroconf

from chat_server.protocol.discovery import SERVICE_TYPE, Announcement, txt_properties


def main(name: str, port: int) -> None:
    announcement = Announcement(name=name, host="127.0.0.1", port=port, version=2, tls=False, fingerprint=None,
                                password=False, online=0, limit=0)
    zc = Zeroconf(interfaces=["127.0.0.1"], ip_version=IPVersion.V4Only)
    info = ServiceInfo(SERVICE_TYPE, f"{name}.{SERVICE_TYPE}", port=port, properties=txt_properties(announcement),
                       addresses=[socket.inet_aton("127.0.0.1")], server=f"lanchat-test-{port}.local.")
    zc.register_service(info)
    print("registered", flush=True)
    sys.stdin.readline()
    zc.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
