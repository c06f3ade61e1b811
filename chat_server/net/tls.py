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
import ssl
import stat
from pathlib import Path

from PySide6.QtCore import QByteArray, QCryptographicHash
from PySide6.QtNetwork import QSsl, QSslCertificate, QSslConfiguration, QSslKey, QSslSocket

log = logging.getLogger(__name__)

CERT_FILE = "server-cert.pem"
KEY_FILE = "server-key.pem"
VALID_DAYS = 3650
FOLDER_MODE = 0o700
"""The folder of a generated key: its owner's only, so that nobody else can read or replace the key."""
KEY_MODE = 0o600


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
    make_private_folder(key_path.parent)
    # Created with owner-only permissions from the start: there is no moment it is readable by others.
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, KEY_MODE)
    with os.fdopen(fd, "wb") as out:
        out.write(key_pem)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` for its owner only (0700), or make it so; TlsError if it belongs to someone else."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if os.name != "posix":
        return
    info = folder.stat()
    if info.st_uid != os.getuid():
        raise TlsError(f"{folder} belongs to another user: a key kept there would not be yours alone.")
    if stat.S_IMODE(info.st_mode) != FOLDER_MODE:
        folder.chmod(FOLDER_MODE)


def ensure_certificate(folder: Path) -> tuple[Path, Path]:
    """The certificate and key in ``folder`` (made private), made on first use and reused after."""
    cert_path, key_path = folder / CERT_FILE, folder / KEY_FILE
    try:
        make_private_folder(folder)
        if not (cert_path.exists() and key_path.exists()):
            create_self_signed(cert_path, key_path)
            log.info("created a self-signed certificate %s", cert_path)
        elif os.name == "posix" and stat.S_IMODE(key_path.stat().st_mode) & 0o077:
            log.warning("%s could be read by other users: making it readable by you only", key_path)
            key_path.chmod(KEY_MODE)
    except OSError as exc:
        raise TlsError(f"Cannot write a certificate to {folder}: {exc.strerror or exc}") from exc
    return cert_path, key_path


def note_old_pair(database: Path, folder: Path) -> None:
    """Earlier versions made the pair beside ``--db``: say that it is no longer used, and how to keep serving it."""
    old = database.parent
    if old.resolve() == folder.resolve() or not (old / CERT_FILE).exists() or not (old / KEY_FILE).exists():
        return
    log.warning("the certificate beside the database (%s) is no longer used: generated keys are kept in %s, "
                "so clients will see a new fingerprint. To keep serving the old certificate, whose fingerprint "
                "your clients know, start with --cert %s --key %s (and keep that folder yours alone).",
                old / CERT_FILE, folder, old / CERT_FILE, old / KEY_FILE)


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
    _check_pair(cert_path, key_path)
    config = QSslConfiguration.defaultConfiguration()
    config.setLocalCertificate(certificate)
    config.setPrivateKey(key)
    config.setPeerVerifyMode(QSslSocket.PeerVerifyMode.VerifyNone)  # clients are not asked for certificates
    config.setProtocol(QSsl.SslProtocol.TlsV1_2OrLater)
    return config, fingerprint(certificate)


def _check_pair(cert_path: Path, key_path: Path) -> None:
    """Raise TlsError unless the key is the certificate's: Qt takes any pair, and every handshake would then fail."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        # The key is known to be unencrypted (Qt read it without a passphrase); the password stops OpenSSL from
        # ever prompting on the terminal.
        context.load_cert_chain(cert_path, key_path, password=b"")
    except ssl.SSLError as exc:
        if exc.reason == "KEY_VALUES_MISMATCH":
            raise TlsError(f"{key_path} is not the private key of the certificate in {cert_path}.") from exc
        raise TlsError(f"{cert_path} and {key_path} cannot serve TLS: {exc.reason or exc}.") from exc
    except OSError as exc:
        raise TlsError(f"Cannot read {exc.filename or cert_path}: {exc.strerror}") from exc
