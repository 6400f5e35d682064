# Sourced by scripts that fetch from Debian's archive: the mirror this
# machine's apt already uses, so no host is written into the scripts.

# The Debian mirror this machine's apt already uses: a URI ending in /debian
# in its one-line (.list) or deb822 (.sources) files.
apt_uri() {  # <path suffix, e.g. debian>
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' |
    awk '$1 == "deb" || $1 == "deb-src" {print $2} $1 == "URIs:" {for (i = 2; i <= NF; i++) print $i}' |
    sed 's:/*$::' | grep -E "^(https?|ftp)://.*/$1\$" | head -n1 || true
}
