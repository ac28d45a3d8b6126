#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so keytar talks
# to a real Secret Service (as it would on a consultant's Linux desktop) without touching the
# user's own keyring. Usage: scripts/with-keyring.sh <command...>
set -euo pipefail
if [ "${DERMDESK_IN_KEYRING_SESSION:-}" != "1" ]; then
  exec env DERMDESK_IN_KEYRING_SESSION=1 dbus-run-session -- "$0" "$@"
fi
keyring_home=$(mktemp -d)
export XDG_DATA_HOME="$keyring_home" XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$keyring_home}"
# Unlocking with a throwaway password creates the fresh login keyring keytar writes to.
eval "$(printf 'dermdesk-test' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
eval "$(gnome-keyring-daemon --start --components=secrets 2>/dev/null)"
export GNOME_KEYRING_CONTROL DERMDESK_KEYRING=1
status=0
"$@" || status=$?
rm -rf "$keyring_home"
exit $status
