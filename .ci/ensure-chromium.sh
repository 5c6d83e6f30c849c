#!/bin/sh
# The browser tests drive Debian's Chromium through playwright-core, and the web push tests make a
# self-signed certificate with openssl. Installs what is missing with apt when we may (root);
# otherwise says how, and the tests that need it will report it too.
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
if [ -z "$missing" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "waymark: installing$missing for the tests (apt-get, once)" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing) >&2 || echo "waymark: could not install$missing; the tests that need it will fail" >&2
else
  echo "waymark: missing$missing; install it (Debian/Ubuntu: sudo apt-get install$missing) to run every test" >&2
fi
exit 0
