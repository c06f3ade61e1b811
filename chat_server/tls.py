"""TLS for the server: a self-signed certificate made on first use (or the user's own) and Qt's SSL configuration.

With no certificate authority, clients trust the certificate by its SHA-256 fingerprint, as SSH
does with host keys; ``fingerprint`` gives the same text on both sides.
"""

from __future__ import annotations

import datetime
import ipaddress
import logging
import os
import socket
from pathlib import Path

from PySide6.QtCore import QByteArray, QCryptographicHash
from PySide6.QtNetwork import QSsl, QSslCertificate, QSslConfiguration, QSslKey, QSslSocket

log = logging.getLogger(__name__)

CERT_FILE = "server-cert.pem"
KEY_FILE = "server-key.pem"
VALID_DAYS = 3650


class TlsError(Exception):
    """A certificate or key cannot be made, read or used; the message says which and why."""


def fingerprint_of_der(der: bytes) -> str:
    """SHA-256 of a DER certificate as colon-separated hex pairs (what ``openssl x509 -fingerprint`` shows)."""
    digest = bytes(QCryptographicHash.hash(QByteArray(der), QCryptographicHash.Algorithm.Sha256).data())
    return ":".join(f"{byte:02X}" for byte in digest)


def fingerprint(certificate: QSslCertificate) -> str:
    return fingerprint_of_der(bytes(certificate.toDer().data()))


def create_self_signed(cert_path: Path, key_path: Path) -> None:
    """Write a new EC P-256 key (readable by the owner only) and a self-signed certificate for this host."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    host = socket.gethostname() or "localhost"
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"LanChat server on {host}")])
    now = datetime.datetime.now(datetime.UTC)
    alt_names: list[x509.GeneralName] = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    if host != "localhost":
        alt_names.insert(0, x509.DNSName(host))
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    key_path.parent.mkdir(parents=True, exist_ok=True)
    # Created with owner-only permissions from the start: there is no moment it is readable by others.
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key_pem)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def ensure_certificate(folder: Path) -> tuple[Path, Path]:
    """The certificate and key in ``folder``, made on first use and reused after."""
    cert_path, key_path = folder / CERT_FILE, folder / KEY_FILE
    if not (cert_path.exists() and key_path.exists()):
        try:
            create_self_signed(cert_path, key_path)
        except OSError as exc:
            raise TlsError(f"Cannot write a certificate to {folder}: {exc.strerror or exc}") from exc
        log.info("created a self-signed certificate %s", cert_path)
    return cert_path, key_path


def server_configuration(cert_path: Path, key_path: Path) -> tuple[QSslConfiguration, str]:
    """Qt's configuration for serving ``cert_path`` with ``key_path``, and the certificate's fingerprint."""
    if not QSslSocket.supportsSsl():
        raise TlsError("This Qt has no TLS support (no OpenSSL library was found).")
    try:
        cert_pem, key_pem = cert_path.read_bytes(), key_path.read_bytes()
    except OSError as exc:
        raise TlsError(f"Cannot read {exc.filename}: {exc.strerror}") from exc
    certificate = QSslCertificate(QByteArray(cert_pem), QSsl.EncodingFormat.Pem)
    if certificate.isNull():
        raise TlsError(f"{cert_path} holds no PEM certificate.")
    key = QSslKey()
    for algorithm in (QSsl.KeyAlgorithm.Ec, QSsl.KeyAlgorithm.Rsa):
        key = QSslKey(QByteArray(key_pem), algorithm, QSsl.EncodingFormat.Pem)
        if not key.isNull():
            break
    if key.isNull():
        raise TlsError(f"{key_path} holds no unencrypted PEM key (EC or RSA).")
    config = QSslConfiguration.defaultConfiguration()
    config.setLocalCertificate(certificate)
    config.setPrivateKey(key)
    config.setPeerVerifyMode(QSslSocket.PeerVerifyMode.VerifyNone)  # clients are not asked for certificates
    config.setProtocol(QSsl.SslProtocol.TlsV1_2OrLater)
    return config, fingerprint(certificate)
