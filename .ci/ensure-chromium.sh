#!/bin/sh
# The browser tests drive Debian's Chromium through playwright-core. Installs it with apt when it
# is missing and we may (root); otherwise says how, and the browser tests will report it too.
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "waymark: installing Chromium for the browser tests (apt-get, once)" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2 || echo "waymark: could not install Chromium; the browser tests will fail" >&2
else
  echo "waymark: Chromium is missing; install it (Debian/Ubuntu: sudo apt-get install chromium) to run the browser tests" >&2
fi
exit 0
