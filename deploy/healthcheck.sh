#!/usr/bin/env bash
# Exits 0 when the mlflowcpp server in this container answers GET <static prefix>/health with 200, else 1.
# Plain bash (/dev/tcp), so the image needs no HTTP client. It asks over loopback on MLFLOW_PORT; a server with
# --tls-cert speaks HTTPS only and needs a probe that does TLS instead.
set -uo pipefail
port=${MLFLOW_PORT:-5000}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET %s/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "${MLFLOW_STATIC_PREFIX:-}" >&3
# The status line only: "HTTP/1.1 200 OK".
read -r -t 5 _ status _ <&3 || exit 1
[[ "$status" == 200 ]]
