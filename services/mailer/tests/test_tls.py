"""STARTTLS and implicit TLS against a real server, with certificate verification left on."""

import ssl
import subprocess
from dataclasses import replace

import pytest
from aiosmtpd.controller import Controller

from mailer import smtp
from tests.helpers import RecordingHandler, free_port, make_payload


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (made with the openssl command line tool)."""
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return cert, context


def start(handler, **tls):
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **tls)
    controller.start()
    return controller, port


@pytest.fixture
def trust(monkeypatch, certificate):
    """Make ssl.create_default_context() trust the test certificate, as a system CA store would."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))


@pytest.mark.parametrize("mode", ["starttls", "implicit"])
def test_delivers_over_tls(smtp_server, certificate, trust, mode):
    handler = RecordingHandler()
    if mode == "starttls":
        controller, port = start(handler, tls_context=certificate[1], require_starttls=True)
        settings = replace(smtp_server.settings, smtp_port=port, smtp_use_tls=True)
    else:
        controller, port = start(handler, ssl_context=certificate[1])
        settings = replace(smtp_server.settings, smtp_port=port, smtp_use_ssl=True)
    try:
        smtp.send(make_payload(), settings)
    finally:
        controller.stop()
    assert len(handler.messages) == 1


def test_a_server_requiring_starttls_is_a_transient_configuration_error(smtp_server, certificate):
    controller, port = start(RecordingHandler(), tls_context=certificate[1], require_starttls=True)
    try:
        with pytest.raises(smtp.TransientDeliveryError, match="530"):
            smtp.send(make_payload(), replace(smtp_server.settings, smtp_port=port))
    finally:
        controller.stop()


def test_an_untrusted_certificate_is_refused(smtp_server, certificate):
    # No SSL_CERT_FILE: the self-signed certificate is not trusted, so nothing is sent.
    handler = RecordingHandler()
    controller, port = start(handler, tls_context=certificate[1], require_starttls=True)
    try:
        with pytest.raises(smtp.TransientDeliveryError, match="SSLCertVerificationError"):
            smtp.send(make_payload(), replace(smtp_server.settings, smtp_port=port, smtp_use_tls=True))
    finally:
        controller.stop()
    assert handler.messages == []
