"""Signs (or confirms) webhook fixtures with the providers' official SDKs, for tests/webhook.rs.

Usage: webhook_oracle.py PROVIDER ARGS...; prints one JSON object. Each signature either comes
from the SDK's own signing helper (Stripe, Braintree, Adyen) or is computed here and then
accepted by the SDK's verifier before it is printed (Razorpay, Square, Mercado Pago), so a
fixture the SDK would reject never reaches a test. PayPal: the signed string comes from
paypalrestsdk, the RSA signature and certificate from pyca/cryptography. Checkout.com and
Mollie have no installable SDK that verifies webhooks: `hmac` signs with the standard library.
"""
import base64
import hashlib
import hmac
import json
import sys


def out(obj):
    print(json.dumps(obj))


def stripe_sign(body_file, secret, ts):
    import stripe

    body = open(body_file, "rb").read().decode("utf-8")
    header = stripe.WebhookSignature.generate_signature_header(body, secret, int(ts))
    stripe.WebhookSignature.verify_header(body, header, secret, tolerance=None)
    out({"Stripe-Signature": header})


def razorpay_sign(body_file, secret):
    import razorpay

    body = open(body_file, "rb").read().decode("utf-8")
    sig = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    razorpay.Client(auth=("rzp_test_oracle", "oracle")).utility.verify_webhook_signature(body, sig, secret)
    out({"X-Razorpay-Signature": sig})


def square_sign(body_file, key, url):
    from square.utils.webhooks_helper import verify_signature

    body = open(body_file, "rb").read().decode("utf-8")
    sig = base64.b64encode(hmac.new(key.encode(), (url + body).encode(), hashlib.sha256).digest()).decode()
    assert verify_signature(request_body=body, signature_header=sig, signature_key=key, notification_url=url)
    out({"x-square-hmacsha256-signature": sig})


def mercadopago_sign(data_id, request_id, ts, secret):
    from mercadopago.webhook.validator import WebhookSignatureValidator

    manifest = f"id:{data_id};request-id:{request_id};ts:{ts};"
    sig = hmac.new(secret.encode(), manifest.encode(), hashlib.sha256).hexdigest()
    header = f"ts={ts},v1={sig}"
    WebhookSignatureValidator.validate(header, request_id, data_id, secret)
    out({"x-signature": header, "x-request-id": request_id})


def braintree_sign(public_key, private_key, kind, id_):
    import braintree

    gw = braintree.BraintreeGateway(
        braintree.Configuration(
            environment=braintree.Environment.Sandbox,
            merchant_id="oracle_merchant",
            public_key=public_key,
            private_key=private_key,
        )
    )
    n = gw.webhook_testing.sample_notification(kind, id_)
    gw.webhook_notification.parse(n["bt_signature"], n["bt_payload"])
    out({k: v.decode() if isinstance(v, bytes) else v for k, v in n.items()})


def adyen_sign(body_file, hex_key):
    import Adyen.util

    doc = json.load(open(body_file))
    for item in doc["notificationItems"]:
        nri = item["NotificationRequestItem"]
        nri.setdefault("additionalData", {})
        unsigned = {k: v for k, v in nri.items() if k != "additionalData"}
        nri["additionalData"]["hmacSignature"] = Adyen.util.generate_notification_sig(unsigned, hex_key).decode()
        assert Adyen.util.is_valid_hmac_notification(nri, hex_key)
    out(doc)


def adyen_payload_sign(body_file, hex_key):
    import Adyen.util

    body = open(body_file, "rb").read()
    sig = Adyen.util.generate_payload_sig(body, hex_key).decode()
    assert Adyen.util.is_valid_hmac_payload(sig, hex_key, body)
    out({"HmacSignature": sig})


def paypal_sign(body_file, webhook_id, transmission_id, time_, cert_out):
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
    from cryptography.x509.oid import NameOID
    from paypalrestsdk.notifications import WebhookEvent

    body = open(body_file, "rb").read().decode("utf-8")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "messageverificationcerts.oracle.paypal.com")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    signed = WebhookEvent._get_expected_sig(transmission_id, time_, webhook_id, body).encode()
    sig = key.sign(signed, padding.PKCS1v15(), hashes.SHA256())
    cert.public_key().verify(sig, signed, padding.PKCS1v15(), hashes.SHA256())
    open(cert_out, "wb").write(cert.public_bytes(serialization.Encoding.PEM))
    out(
        {
            "PAYPAL-TRANSMISSION-ID": transmission_id,
            "PAYPAL-TRANSMISSION-TIME": time_,
            "PAYPAL-TRANSMISSION-SIG": base64.b64encode(sig).decode(),
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
            "PAYPAL-CERT-URL": "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-oracle",
        }
    )


def body_hmac(body_file, secret, header):
    """Checkout.com and Mollie publish no Python SDK that verifies webhooks: the documented
    scheme (hex HMAC-SHA256 of the raw body; Mollie prefixes `sha256=`) with the standard library."""
    body = open(body_file, "rb").read()
    sig = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    out({header: ("sha256=" + sig) if header == "X-Mollie-Signature" else sig})


COMMANDS = {
    "hmac": body_hmac,
    "stripe": stripe_sign,
    "razorpay": razorpay_sign,
    "square": square_sign,
    "mercadopago": mercadopago_sign,
    "braintree": braintree_sign,
    "adyen": adyen_sign,
    "adyen-payload": adyen_payload_sign,
    "paypal": paypal_sign,
}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
