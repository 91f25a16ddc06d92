#!/usr/bin/env python3
"""Write a deterministic company knowledge folder of N entries, in the `knowledge/` format.

Like an internal error catalog: eight in-house services (a payment gateway `GW-10000`, a
ledger `LDG-…`, payouts `PO-…`, a risk engine `RSK-…`, …), each a new provider with its
markers, fields, hosts and SDK exception, whose entries carry a code, an HTTP status, a
message, causes and fixes; about a quarter are compact one-liners, a tenth name endpoints,
a few have a regex pattern. An overlay `stripe.toml` replaces some embedded Stripe entries
with the team's runbook. Entry i is the same whatever N, so a smaller folder is a subset of
a larger one.

Beside the folder, DIR.samples holds one error line per entry among the first SAMPLES
(default 1000): what the bench mixes into its log, found with either folder.

usage: gen_company_kb.py N DIR [SAMPLES]
"""
import json
import os
import random
import sys
import tomllib

n = int(sys.argv[1])
out = sys.argv[2]
n_samples = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
here = os.path.dirname(os.path.abspath(__file__))

SERVICES = [
    # (id, name, code prefix, exception, host stem, error field)
    ("acmegw", "Acme Payment Gateway", "GW", "AcmeGatewayException", "gw", "gw_error_code"),
    ("acmeledger", "Acme Ledger", "LDG", "LedgerServiceError", "ledger", "ledger_error"),
    ("acmepayouts", "Acme Payouts", "PO", "PayoutRejectedException", "payouts", "payout_error_code"),
    ("acmerisk", "Acme Risk Engine", "RSK", "RiskDecisionException", "risk", "risk_reason_code"),
    ("acmewallet", "Acme Wallet", "WAL", "WalletOperationError", "wallet", "wallet_error"),
    ("acmefx", "Acme FX Service", "FX", "FxQuoteException", "fx", "fx_error_code"),
    ("acmebilling", "Acme Billing", "BIL", "BillingRunException", "billing", "billing_error_code"),
    ("acmeonboard", "Acme Onboarding", "ONB", "OnboardingCheckError", "onboarding", "onboarding_error"),
]
SUBJECTS = [
    "merchant account", "settlement batch", "payout instruction", "ledger entry", "card token",
    "refund request", "capture request", "authorisation hold", "currency conversion quote",
    "acquirer routing rule", "3ds session", "wallet balance", "mandate reference",
    "chargeback case", "fraud review", "payment link", "subscription schedule", "invoice draft",
    "beneficiary account", "funding source", "exchange rate lock", "terminal profile",
    "tokenisation vault", "webhook endpoint", "api credential", "reconciliation file",
    "dispute evidence", "fee schedule", "split payment", "escrow release", "bank transfer",
    "direct debit", "virtual card", "card program", "risk score", "velocity counter",
    "customer profile", "billing address", "shipping quote", "tax calculation",
    "sanctions screening", "kyc document", "onboarding application", "pricing plan",
    "installment plan", "loyalty redemption", "gift card", "voucher code", "cash deposit",
    "pos session", "batch upload", "settlement report", "interchange record",
    "network token", "cryptogram", "acquirer response", "issuer callback", "retry schedule",
    "idempotency record", "audit trail",
]
PROBLEMS = [
    "was rejected by the upstream processor", "is locked by another transaction",
    "has expired before it could be used", "exceeds the configured limit",
    "is missing a required field", "references an unknown merchant",
    "could not be found in the current region", "is already in a final state",
    "failed schema validation", "was submitted twice within the dedup window",
    "is not enabled for this program", "conflicts with an open dispute",
    "was blocked by a compliance rule", "timed out waiting for the core banking system",
    "has an invalid checksum", "uses an unsupported currency",
    "belongs to a suspended account", "was declined by the issuing bank",
    "is pending manual review", "could not be reconciled with the bank statement",
    "has a mismatched amount", "was cancelled by the operator",
    "is outside the allowed settlement window", "needs a fresh signature",
    "was throttled by the partner api", "is not permitted for this country",
    "has a stale version number", "references a closed ledger period",
    "failed the velocity check", "was routed to a disabled acquirer",
    "is missing its parent record", "has too many line items", "was flagged as duplicate",
    "could not be decrypted", "has an expired certificate", "is waiting for funds",
    "exceeds the daily payout cap", "has an invalid iban", "failed address verification",
    "was refused by the sanctions list", "lacks a verified owner",
    "hit the retry budget", "uses a revoked key", "has no matching price",
    "is below the minimum amount", "is above the maximum amount",
    "violates the split rules", "was reversed by the network", "lost its lock lease",
    "cannot be refunded any more",
]
CONTEXTS = [
    "during nightly settlement", "for the selected acquirer", "in the eu region",
    "for marketplace sellers", "on the recurring billing run", "in the sandbox cluster",
    "after the cut-off time", "for cross-border payments", "on the mobile checkout",
    "for high risk merchants", "during the payout window", "for the partner integration",
    "after a network retry", "while the ledger was closing", "for instant transfers",
    "on the card-present channel", "for corporate cards", "during key rotation",
    "for the legacy api version", "in the apac region", "for the b2b invoicing flow",
    "after the account migration", "during peak traffic", "for prepaid cards",
    "for the subscription renewal", "while reconciling refunds", "in the us cluster",
    "for wallet top-ups", "on the hosted payment page", "for split settlements",
    "during the monthly close", "for the loyalty program", "on partial captures",
    "for offline terminals", "during dispute intake", "for scheduled payouts",
    "on the fallback route", "for multi-currency accounts", "during onboarding", "in batch mode",
]
CATEGORIES = {
    "rejected": "decline", "declined": "decline", "locked": "duplicate_or_state",
    "expired": "auth_expired_token", "limit": "rate_limit", "missing": "validation",
    "unknown": "not_found", "found": "not_found", "final": "duplicate_or_state",
    "schema": "validation", "twice": "idempotency", "enabled": "configuration",
    "dispute": "duplicate_or_state", "compliance": "auth_permission", "timed": "server_error",
    "checksum": "validation", "currency": "validation", "suspended": "auth_permission",
    "review": "other", "reconciled": "server_error", "throttled": "rate_limit",
    "revoked": "auth_invalid_key", "certificate": "network_tls", "signature": "webhook_signature",
}
STATUSES = {
    "decline": 402, "duplicate_or_state": 409, "auth_expired_token": 401, "rate_limit": 429,
    "validation": 422, "not_found": 404, "idempotency": 409, "configuration": 400,
    "auth_permission": 403, "server_error": 503, "other": 400, "auth_invalid_key": 401,
    "network_tls": 502, "webhook_signature": 400,
}
ENDPOINTS = ["POST /v2/payments", "POST /v2/payments/{id}/captures", "POST /v2/refunds",
             "POST /v1/payouts", "GET /v1/ledger/entries/{id}", "POST /v1/risk/decisions"]
WHEN = ["timeout", "sandbox", "retry", "cut-off", "@sandbox_host", "@production_host"]

rng = random.Random(20261204)
combos = [(s, p, c) for s in range(len(SUBJECTS)) for p in range(len(PROBLEMS)) for c in range(len(CONTEXTS))]
rng.shuffle(combos)
if n > len(combos):
    sys.exit(f"at most {len(combos)} entries")


def q(s):
    return json.dumps(s, ensure_ascii=False)


def qs(v):
    return "[" + ", ".join(q(x) for x in v) + "]"


def category_of(problem):
    for word, cat in CATEGORIES.items():
        if word in problem:
            return cat
    return "other"


def entry(i):
    """Entry i: (service index, TOML text, sample line)."""
    svc = i % len(SERVICES)
    pid, name, prefix, exc, host, field = SERVICES[svc]
    s, p, c = combos[i]
    subject, problem, context = SUBJECTS[s], PROBLEMS[p], CONTEXTS[c]
    k = random.Random(i)
    code = "%s-%05d" % (prefix, 10000 + i // len(SERVICES))
    message = f"{subject.capitalize()} {problem} {context}"
    category = category_of(problem)
    status = STATUSES[category]
    title = f"{name}: the {subject} {problem}"
    cause = f"The {subject} {problem.replace('was ', 'had been ')} {context}."
    fix = f"Check the {subject} in the {name} console and retry once the {subject} is valid; page #{pid}-oncall if it persists."
    trace = "%032x" % k.getrandbits(128)
    sample = '{"%s":"%s","status":%d,"message":"%s","trace_id":"%s"}' % (field, code, status, message, trace)
    if k.random() < 0.25:
        text = (f'  {{ code = {q(code)}, status = {status}, category = {q(category)}, title = {q(title)}, '
                f'cause = {q(cause)}, fix = {q(fix)}, message = {q(message)} }},\n')
        return svc, "compact", text, sample
    lines = [
        "[[error]]",
        f"id = {q(code.lower().replace('-', '_'))}",
        f"codes = {qs([code])}",
        f"status = [{status}]",
        f"category = {q(category)}",
        f"title = {q(title)}",
        f"messages = {qs([message])}",
    ]
    if k.random() < 0.1:
        lines.append(f"endpoints = {qs([k.choice(ENDPOINTS)])}")
    if k.random() < 0.03:
        lines.append("patterns = [%s]" % q(f"{subject} \\d+ {problem.split()[0]} by"))
    lines.append(f"retryable = {'true' if category in ('server_error', 'rate_limit') else 'false'}")
    lines.append(f"samples = ['{sample}']")
    fixes = [fix] + ([f"Open a ticket with the {name} team quoting the trace_id."] if k.random() < 0.5 else [])
    lines.append(f"fixes = {qs(fixes)}")
    for j in range(1 + k.randrange(3)):
        lines += ["", "[[error.causes]]",
                  f"summary = {q(cause if j == 0 else f'A {k.choice(SUBJECTS)} upstream {k.choice(PROBLEMS)}.')}"]
        if k.random() < 0.3:
            lines.append(f"when = {qs([k.choice(WHEN)])}")
        lines.append('probe = "none"')
    return svc, "rich", "\n".join(lines) + "\n\n", sample


def provider(svc):
    pid, name, prefix, exc, host, field = SERVICES[svc]
    return f"""[provider]
id = {q(pid)}
name = {q(name)}
docs = "https://wiki.acme.internal/payments/{pid}/errors"
markers = [{q(name)}, {q(host + ".payments.acme.internal")}]
exceptions = [{q(exc)}]
fields = [{q(field)}, "trace_id"]
code_fields = [{q(field)}]

[[provider.environments]]
env = "sandbox"
hosts = [{q(host + ".sandbox.payments.acme.internal")}]

[[provider.environments]]
env = "production"
hosts = [{q(host + ".payments.acme.internal")}]

"""


os.makedirs(out, exist_ok=True)
rich = [[] for _ in SERVICES]
compact = [[] for _ in SERVICES]
samples = []
for i in range(n):
    svc, kind, text, sample = entry(i)
    (rich if kind == "rich" else compact)[svc].append(text)
    if i < n_samples:
        samples.append(sample)
for svc, (pid, *_rest) in enumerate(SERVICES):
    with open(os.path.join(out, pid + ".toml"), "w") as f:
        f.write(provider(svc))
        f.writelines(rich[svc])
        if compact[svc]:
            f.write("[compact]\nentries = [\n")
            f.writelines(compact[svc])
            f.write("]\n")

# The team's runbook over some embedded Stripe entries: the same entry, the team's fix first.
with open(os.path.join(here, "..", "knowledge", "stripe.toml"), "rb") as f:
    stripe = tomllib.load(f)
with open(os.path.join(out, "stripe.toml"), "w") as f:
    f.write('[provider]\nid = "stripe"\n\n')
    for e in stripe["error"][: max(1, min(50, n // 1000))]:
        e = dict(e)
        e["fixes"] = [f"Runbook PAY-{len(e['id'])}: check the Stripe dashboard for {e['id']} first."] + e["fixes"]
        causes = e.pop("causes")
        f.write("[[error]]\n")
        for key, v in e.items():
            if isinstance(v, bool):
                f.write(f"{key} = {'true' if v else 'false'}\n")
            elif isinstance(v, (int, float, str)):
                f.write(f"{key} = {q(v)}\n")
            else:
                f.write(f"{key} = [{', '.join(q(x) for x in v)}]\n")
        for c in causes:
            f.write("\n[[error.causes]]\n")
            for key, v in c.items():
                f.write(f"{key} = {qs(v) if isinstance(v, list) else q(v)}\n")
        f.write("\n")

with open(out.rstrip("/") + ".samples", "w") as f:
    f.writelines(s + "\n" for s in samples)
