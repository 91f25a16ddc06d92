#!/usr/bin/env bash
# Installs the third-party servers the probe tests start on loopback (tests/peers.rs):
# localstripe (PyPI) into tests/peers/.venv, oidc-provider and stripe-stateful-mock (npm) into
# tests/peers/node_modules; and the providers' SDKs that sign the webhook fixtures of
# tests/webhook.rs (PyPI, same venv; driven by webhook_oracle.py). Versions are pinned by
# constraints.txt and package-lock.json.
# Idempotent: a second run with nothing changed only checks the versions.
set -euo pipefail
cd "$(dirname "$0")"

command -v python3 >/dev/null || { echo "install.sh: python3 is required" >&2; exit 2; }
command -v npm >/dev/null || { echo "install.sh: npm (Node.js >= 20) is required" >&2; exit 2; }

# The top-level Python packages; their dependencies are pinned in constraints.txt too.
top="localstripe stripe razorpay squareup braintree Adyen mercadopago paypalrestsdk cryptography"
want=$(for p in $top; do grep -i "^$p==" constraints.txt; done | tr '\n' ' ')
have=$(.venv/bin/python - $want <<'PY' 2>/dev/null || true
import importlib.metadata as m, sys
ok = all(m.version(a.split("==")[0]) == a.split("==")[1] for a in sys.argv[1:])
print("ok" if ok else "")
PY
)
if [ "$have" != "ok" ]; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  # shellcheck disable=SC2086
  .venv/bin/pip install --quiet --disable-pip-version-check -c constraints.txt $want
fi

# npm ci replaces node_modules from the lock file; skip it when the lock file is unchanged.
if ! cmp -s package-lock.json node_modules/.installed-lock 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.installed-lock
fi
echo "test peers ready: $want, $(node -p 'require("oidc-provider/package.json").version' 2>/dev/null | sed 's/^/oidc-provider /'), $(node -p 'require("stripe-stateful-mock/package.json").version' 2>/dev/null | sed 's/^/stripe-stateful-mock /')"
