# Shared set-up for .ci/run and .ci/demo; source it from the repository root.
# Every step works on a fresh Debian machine as root and is a no-op when already done.

say() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

_apt_updated=""
apt_install() {
    command -v apt-get >/dev/null || die "apt-get is missing, so $* cannot be installed."
    if [ -z "$_apt_updated" ]; then
        apt-get update -qq >/dev/null || die "apt-get update failed, so $* cannot be installed."
        _apt_updated=1
    fi
    say "installing $* with apt"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
        || die "apt-get could not install $*."
}

# The virtualenv and the project with its test extra. The install is skipped while
# pyproject.toml and the build constraints are unchanged since the last one.
ensure_venv() {
    local python stamp
    python=$(command -v python3.11 || command -v python3) || die "Python 3.11 is not installed."
    if [ ! -x .venv/bin/python ]; then
        say "creating .venv"
        "$python" -m venv .venv 2>/dev/null || {
            rm -rf .venv
            apt_install python3-venv
            "$python" -m venv .venv || die "Python could not create .venv."
        }
    fi
    stamp=$(cat pyproject.toml .ci/build-constraints.txt | sha256sum | cut -d' ' -f1)
    if [ "$(cat .venv/.installed 2>/dev/null)" != "$stamp" ]; then
        say "installing the project into .venv"
        .venv/bin/pip install -q -U pip || die "pip could not upgrade itself."
        .venv/bin/pip install -q --build-constraint .ci/build-constraints.txt -e '.[test]' \
            || die "pip could not install the project and its test dependencies."
        echo "$stamp" > .venv/.installed
    fi
    export PATH="$PWD/.venv/bin:$PATH"
}

ensure_gettext() {
    command -v msgfmt >/dev/null || apt_install gettext
}

# Compiled catalogues are not committed (*.mo is ignored); build them when there are any.
compile_messages() {
    if [ -d locale ]; then
        ensure_gettext
        python manage.py compilemessages --ignore=.venv -v 0 \
            || die "compilemessages failed."
    fi
}

_pg_start_clusters() {
    local version cluster status
    while read -r version cluster _ status _; do
        case "$status" in
            online*) ;;
            *) pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start >/dev/null 2>&1 ;;
        esac
    done < <(pg_lsclusters --no-header 2>/dev/null)
}

ensure_postgres() {
    if ! command -v pg_lsclusters >/dev/null; then
        apt_install postgresql
    fi
    if [ -z "$(pg_lsclusters --no-header 2>/dev/null)" ]; then
        die "PostgreSQL is installed but has no cluster (create one with pg_createcluster)."
    fi
    _pg_start_clusters
    local i
    for i in $(seq 1 30); do
        pg_isready -q && break
        sleep 0.5
    done
    pg_isready -q || die "PostgreSQL does not accept connections on its local socket."
    if ! psql -d postgres -tAc 'select 1' >/dev/null 2>&1; then
        su postgres -c "createuser --superuser $(id -un)" >/dev/null 2>&1 || true
    fi
    psql -d postgres -tAc 'select 1' >/dev/null 2>&1 \
        || die "PostgreSQL refuses the role $(id -un) over the local socket."
}

ensure_database() {
    local name=$1
    if [ "$(psql -d postgres -tAc "select 1 from pg_database where datname = '$name'")" != 1 ]; then
        createdb "$name" || die "PostgreSQL could not create the database $name."
    fi
}

ensure_redis() {
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return
    command -v redis-server >/dev/null || apt_install redis-server
    say "starting redis-server"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    local i
    for i in $(seq 1 20); do
        redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return
        sleep 0.25
    done
    die "Redis does not answer on 127.0.0.1:6379."
}

ensure_chromium() {
    [ -x /usr/bin/chromium ] || apt_install chromium
    [ -x /usr/bin/chromium ] || die "Chromium is not at /usr/bin/chromium."
}
