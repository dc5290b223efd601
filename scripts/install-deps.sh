#!/bin/sh
# Install the Debian packages listed in scripts/deps.txt that are missing.
# As root it runs apt-get itself; otherwise it prints the exact sudo command.
set -eu
here=$(dirname "$0")
missing=""
for pkg in $(grep -v '^#' "$here/deps.txt"); do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $pkg" ;;
	esac
done
[ -z "$missing" ] && exit 0
echo "taizhang: 需要安装这些软件包 / missing packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
else
	echo "请运行 / please run:"
	echo "  sudo apt-get update && sudo apt-get install -y$missing"
	exit 1
fi
